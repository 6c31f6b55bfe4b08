package dev.cumsum.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

/**
 * The figure and the page from known tables: gaps stay gaps, the key numbers are those of
 * the scenario, and the page renders in a real headless browser with its image loaded.
 */
class ReportWriterTest {

	@TempDir
	Path tmp;

	/**
	 * A rehearsal-shaped table, one row per second for 300 s: 40/s, then 120/s from 100
	 * s; target 50; one ready pod until 160 s, then three (the new pods took 60 s).
	 */
	static Table stepScenario() {
		int n = 300;
		long[] times = new long[n];
		double[] offered = new double[n];
		double[] ready = new double[n];
		double[] current = new double[n];
		double[] perPod = new double[n];
		for (int t = 0; t < n; t++) {
			times[t] = t;
			offered[t] = t < 100 ? 40 : 120;
			ready[t] = t < 160 ? 1 : 3;
			current[t] = t < 115 ? 1 : 3;
			perPod[t] = offered[t] / ready[t];
		}
		var cols = new LinkedHashMap<String, double[]>();
		cols.put(Columns.OFFERED_RPS, offered);
		cols.put(Columns.RPS, offered.clone());
		cols.put(Columns.POD_RPS + "each ready pod", perPod);
		cols.put(Columns.HPA_TARGET, filled(n, 50));
		cols.put(Columns.HPA_CURRENT, current);
		cols.put(Columns.HPA_DESIRED, current.clone());
		cols.put(Columns.READY_PODS, ready);
		cols.put(Columns.HPA_MIN, filled(n, 1));
		cols.put(Columns.HPA_MAX, filled(n, 10));
		return new Table(times, cols);
	}

	static double[] filled(int n, double v) {
		double[] a = new double[n];
		java.util.Arrays.fill(a, v);
		return a;
	}

	@Test
	void keyNumbersOfTheStepScenario() {
		KeyNumbers k = KeyNumbers.of(stepScenario());
		assertThat(k.row("Peak replicas").value()).isEqualTo("3");
		// 120/s on the one ready pod from 100 s until the other two are ready at 160 s
		assertThat(k.row("Peak load per ready pod").value()).isEqualTo("120.0/s");
		assertThat(k.row("Peak load per ready pod").detail()).contains("at 1:40", "2.40 x the target");
		assertThat(k.row("Seconds above target").value()).isEqualTo("60 s");
		assertThat(k.row("Load step until ready capacity covered it").value()).isEqualTo("60 s");
		assertThat(k.row("Load step until ready capacity covered it").detail()).contains("longest of 1 time",
				"from 1:40");
	}

	@Test
	void keyNumbersSayWhyTheyAreMissing() {
		Table t = stepScenario();
		t.columns().remove(Columns.HPA_TARGET);
		KeyNumbers k = KeyNumbers.of(t);
		assertThat(k.row("Seconds above target").value()).isNull();
		assertThat(k.row("Seconds above target").detail()).startsWith("no HPA target");
		assertThat(k.row("Peak replicas").value()).isEqualTo("3");
	}

	@Test
	void aMissingSampleOrAHoleInTheTimeGridBreaksTheLine() {
		long[] times = { 0, 15, 30, 45, 60, 75, 90, 150, 165, 180 };
		double[] rps = { 1, 2, 3, Double.NaN, 5, 6, 7, 8, 9, Double.NaN };
		var cols = new LinkedHashMap<String, double[]>();
		cols.put(Columns.RPS, rps);
		Table t = new Table(times, cols);
		Figure.PanelContent content = Figure.content(t, Panel.REQUESTS);
		XYChart chart = PanelChart.of(content, Figure.seconds(t), 800, 300, "gaps");
		// [0..30], [60..90], [150..165] (x in seconds for a short span): the NaN at 45
		// and the 60 s hole
		// between 90 and 150 are not bridged
		assertThat(chart.getSeriesMap().values()).extracting(s -> s.getXData().length).containsExactly(3, 3, 2);
		assertThat(chart.getSeriesMap().values()).extracting(s -> s.isShowInLegend())
			.containsExactly(true, false, false);
		assertThat(chart.getSeriesMap().values().stream().toList().get(1).getXData()).containsExactly(60.0, 75.0, 90.0);
	}

	@Test
	void theFigureStacksEveryPanelAndEmptyOnesSayWhy() throws Exception {
		Path out = tmp.resolve("report");
		List<Path> pngs = ReportWriter.write(stepScenario(), out,
				ReportPage.withNotes("step scenario", List.of("a note")));
		assertThat(pngs).extracting(p -> p.getFileName().toString())
			.containsExactly("rps.png", "rps_per_pod.png", "replicas.png");
		BufferedImage figure = ImageIO.read(out.resolve(ReportWriter.FIGURE).toFile());
		assertThat(figure.getWidth()).isEqualTo(Figure.WIDTH);
		assertThat(figure.getHeight())
			.isEqualTo(Figure.HEADER_HEIGHT + 3 * Figure.PANEL_HEIGHT + 2 * Figure.EMPTY_PANEL_HEIGHT);
		String html = Files.readString(out.resolve("index.html"));
		assertThat(html).contains("p99: no latency: the HPA rehearsal models no per-pod capacity",
				"<img src=\"figure.png\"", "<li>a note</li>");
		assertThat(html.indexOf("Key numbers")).isLessThan(html.indexOf("<img"));
	}

	@Test
	void thePageRendersInAHeadlessBrowserWithItsImagesLoaded() throws Exception {
		Path out = Path.of("target", "report-browser-test");
		ReportWriter.write(stepScenario(), out, new ReportPage("step scenario",
				List.of(new ReportPage.Setting("Values", "min 1, max 10, target 50/s per pod")), List.of()));

		String dom = HeadlessChromium.dom(out.resolve("index.html"));
		assertThat(dom).contains("data-images=\"loaded 1\"", "<th>Values</th>", "Seconds above target");
		// kept as a build artifact to look at
		Path shot = out.resolve("screenshot.png");
		HeadlessChromium.screenshot(out.resolve("index.html"), shot, 1280, 2000);
		BufferedImage image = ImageIO.read(shot.toFile());
		assertThat(image.getWidth()).isEqualTo(1280);
		assertThat(image.getHeight()).isEqualTo(2000);

		// and the check can fail: without the figure the page reports a broken image
		Path broken = tmp.resolve("broken");
		ReportWriter.write(stepScenario(), broken, ReportPage.withNotes("broken", List.of()));
		Files.delete(broken.resolve(ReportWriter.FIGURE));
		assertThat(HeadlessChromium.dom(broken.resolve("index.html"))).contains("data-images=\"broken: figure.png\"");
	}

}
