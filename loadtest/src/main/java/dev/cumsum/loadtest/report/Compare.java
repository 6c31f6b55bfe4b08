package dev.cumsum.loadtest.report;

import dev.cumsum.loadtest.profile.Params;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A live run and a rehearsal side by side: both figures, their key numbers in one table
 * and an overlay of load and replicas on one time axis (each run from its own start).
 * Reads the {@code data.csv} of a scaling report ({@code live}) and of a rehearsal
 * ({@code rehearsal}), for instance one replaying the live run's rate
 * ({@code exec:java@rehearse -Dreplay=.../data.csv}); writes {@code out}
 * (target/comparison).
 *
 * <pre>./mvnw -q -pl loadtest compile exec:java -Dexec.mainClass=dev.cumsum.loadtest.report.Compare \
 *     -Dlive=loadtest/target/local-e2e -Drehearsal=loadtest/target/rehearsal/replay</pre>
 */
public final class Compare {

	static final String OVERLAY = "overlay.png";

	private Compare() {
	}

	static Table read(String dirOrCsv) throws IOException {
		Path p = Path.of(dirOrCsv);
		return Table.readCsv(Files.isDirectory(p) ? p.resolve("data.csv") : p);
	}

	/** The overlay: load and replicas of both runs, live solid, rehearsal dashed. */
	static List<Figure.PanelContent> overlay(Table live, Table rehearsal) {
		List<Figure.Drawn> load = new ArrayList<>();
		List<String> loadMissing = new ArrayList<>();
		add(load, loadMissing, live, "live", Series.ACHIEVED, new Color(31, 119, 180), false);
		add(load, loadMissing, rehearsal, "rehearsal", Series.OFFERED, new Color(255, 127, 14), true);
		List<Figure.Drawn> replicas = new ArrayList<>();
		List<String> replicasMissing = new ArrayList<>();
		addReplicas(replicas, replicasMissing, live, "live", new Color(31, 119, 180), new Color(23, 190, 207), false);
		addReplicas(replicas, replicasMissing, rehearsal, "rehearsal", new Color(214, 39, 40), new Color(255, 127, 14),
				true);
		return List.of(
				new Figure.PanelContent("Load: live achieved vs rehearsal offered", "requests/s", load,
						String.join("; ", loadMissing)),
				new Figure.PanelContent("Replicas: live vs rehearsal", "replicas", replicas,
						String.join("; ", replicasMissing)));
	}

	private static void add(List<Figure.Drawn> out, List<String> missing, Table t, String run, Series s, Color color,
			boolean dashed) {
		if (t.hasData(s.column())) {
			out.add(new Figure.Drawn(t, new Line(s.column(), run + " " + s.label(), color, dashed)));
		}
		else {
			missing.add(run + " " + s.label() + ": " + s.whyMissing(t));
		}
	}

	/**
	 * The HPA's current replicas (asked for) and the ready ones (serving), or the pods
	 * with a rate.
	 */
	private static void addReplicas(List<Figure.Drawn> out, List<String> missing, Table t, String run, Color current,
			Color ready, boolean dashed) {
		if (t.hasData(Columns.HPA_CURRENT)) {
			out.add(new Figure.Drawn(t, new Line(Columns.HPA_CURRENT, run + " current replicas", current, dashed)));
		}
		else {
			missing.add(run + " current replicas: " + Series.CURRENT.whyMissing(t));
		}
		for (Series s : List.of(Series.READY, Series.SERVING)) {
			if (t.hasData(s.column())) {
				out.add(new Figure.Drawn(t, new Line(s.column(),
						run + " " + s.label() + (s == Series.READY ? " replicas" : ""), ready, dashed)));
				return;
			}
		}
		missing.add(run + " ready replicas: " + Series.READY.whyMissing(t));
	}

	static void write(Table live, Table rehearsal, Path out) throws IOException {
		Files.createDirectories(out);
		ImageIO.write(Figure.of(live, "Live run"), "png", out.resolve("live.png").toFile());
		ImageIO.write(Figure.of(rehearsal, "HPA rehearsal"), "png", out.resolve("rehearsal.png").toFile());
		List<Figure.PanelContent> overlay = overlay(live, rehearsal);
		ImageIO.write(Figure.stack("Live run vs HPA rehearsal",
				"live solid, rehearsal dashed; each run from its own start", overlay), "png",
				out.resolve(OVERLAY).toFile());
		Html html = new Html("Live run vs HPA rehearsal");
		html.keyNumbers(List.of(KeyNumbers.of(live), KeyNumbers.of(rehearsal)), List.of("live run", "rehearsal"));
		html.h2("Overlay").figure(OVERLAY, "load and replicas of the live run and the rehearsal on one time axis");
		List<String> missing = new ArrayList<>();
		overlay.stream()
			.filter(p -> !p.whenEmpty().isEmpty())
			.forEach(p -> missing.add(p.title() + " - " + p.whenEmpty()));
		html.missing(missing);
		html.h2("Side by side").sideBySide("live.png", "live run", "rehearsal.png", "HPA rehearsal");
		Files.writeString(out.resolve("index.html"), html.end(), StandardCharsets.UTF_8);
	}

	public static void main(String[] args) throws Exception {
		Params p = Params.fromArgs(args);
		String live = p.get("live", null);
		String rehearsal = p.get("rehearsal", null);
		if (live == null || rehearsal == null) {
			throw new IllegalArgumentException(
					"need live=<report dir or data.csv> and rehearsal=<rehearsal dir or data.csv>");
		}
		Path out = Path.of(p.get("out", "target/comparison"));
		write(read(live), read(rehearsal), out);
		System.out.println("Comparison: " + out.toAbsolutePath().resolve("index.html"));
	}

}
