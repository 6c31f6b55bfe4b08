package dev.cumsum.loadtest.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;

/**
 * Writes a {@link Table} as a report directory: {@code data.csv}; {@code figure.png},
 * every panel stacked on one time axis; each panel that has data also alone
 * ({@code rps.png}, ...); and {@code index.html}: the key numbers first, the settings as
 * a table, the figure, then which series are missing and why.
 */
public final class ReportWriter {

	/** Size of the stand-alone panel PNGs. */
	public static final int WIDTH = 1000;

	public static final int HEIGHT = 420;

	/** The stacked figure of every panel. */
	public static final String FIGURE = "figure.png";

	private ReportWriter() {
	}

	/**
	 * Writes the report with the notes as its only text besides the key numbers; returns
	 * the panel PNGs.
	 */
	public static List<Path> write(Table table, Path dir, String title, List<String> notes) throws IOException {
		return write(table, dir, ReportPage.withNotes(title, notes));
	}

	/**
	 * Writes the report; returns the stand-alone panel PNGs written (the figure is
	 * {@link #FIGURE}).
	 */
	public static List<Path> write(Table table, Path dir, ReportPage page) throws IOException {
		Files.createDirectories(dir);
		table.writeCsv(dir.resolve("data.csv"));
		ImageIO.write(Figure.of(table, page.title()), "png", dir.resolve(FIGURE).toFile());
		List<Path> pngs = new ArrayList<>();
		List<String> missing = new ArrayList<>();
		double span = Figure.seconds(table);
		for (Panel panel : Panel.values()) {
			Figure.PanelContent content = Figure.content(table, panel);
			missing.addAll(panel.missing(table).stream().map(m -> panel.title() + " - " + m).toList());
			if (content.lines().isEmpty()) {
				continue;
			}
			Path png = dir.resolve(panel.file());
			BitmapEncoder.saveBitmap(PanelChart.of(content, span, WIDTH, HEIGHT, panel.title() + " - " + page.title()),
					png.toString(), BitmapEncoder.BitmapFormat.PNG);
			pngs.add(png);
		}
		Html html = new Html(page.title());
		html.keyNumbers(List.of(KeyNumbers.of(table)), List.of());
		if (!page.settings().isEmpty()) {
			html.h2("Settings").settings(page.settings());
		}
		html.h2("Figure").figure(FIGURE, page.title() + ": every series on one time axis");
		html.missing(missing);
		if (!page.notes().isEmpty()) {
			html.h2("Notes").list(page.notes());
		}
		html.p("Raw data: " + Html.link("data.csv", "data.csv") + ". Each panel alone: " + String.join(", ",
				pngs.stream().map(p -> Html.link(p.getFileName().toString(), p.getFileName().toString())).toList())
				+ ".");
		Files.writeString(dir.resolve("index.html"), html.end(), StandardCharsets.UTF_8);
		return pngs;
	}

}
