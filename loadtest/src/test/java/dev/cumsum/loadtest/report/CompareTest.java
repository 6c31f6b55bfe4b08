package dev.cumsum.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

class CompareTest {

	/**
	 * A local live run: per-second rows from an epoch start, one pod, latency, no HPA
	 * series.
	 */
	static Table liveLocalRun() {
		int n = 120;
		long[] times = new long[n];
		double[] rps = new double[n];
		double[] p99 = new double[n];
		double[] serving = new double[n];
		for (int i = 0; i < n; i++) {
			times[i] = 1_795_000_000L + i;
			rps[i] = i < 60 ? 40 : 120;
			p99[i] = 20;
			serving[i] = 1;
		}
		var cols = new LinkedHashMap<String, double[]>();
		cols.put(Columns.RPS, rps);
		cols.put(Columns.P99_MS, p99);
		cols.put(Columns.ERROR_RATIO, new double[n]);
		cols.put(Columns.HPA_CURRENT, ReportWriterTest.filled(n, Double.NaN));
		cols.put(Columns.POD_RPS + "cumsum-api-local", rps.clone());
		cols.put(Columns.SERVING_PODS, serving);
		return new Table(times, cols);
	}

	@Test
	void sideBySideWithAnOverlayThatRendersInABrowser() throws Exception {
		Path dir = Path.of("target", "compare-test");
		Table live = liveLocalRun();
		Table rehearsal = ReportWriterTest.stepScenario();
		live.writeCsv(Files.createDirectories(dir.resolve("live")).resolve("data.csv"));
		rehearsal.writeCsv(Files.createDirectories(dir.resolve("rehearsal")).resolve("data.csv"));

		Compare.main(new String[] { "live=" + dir.resolve("live"), "rehearsal=" + dir.resolve("rehearsal/data.csv"),
				"out=" + dir.resolve("out") });

		String html = Files.readString(dir.resolve("out/index.html"));
		assertThat(html).contains("<th>live run</th><th>rehearsal</th>", "overlay.png", "live.png", "rehearsal.png");
		// live has no HPA: the key numbers say so, the rehearsal's are there
		assertThat(html).contains("none: no HPA target", "<span class=\"num\">60 s</span>");
		var overlay = Compare.overlay(live, rehearsal);
		assertThat(overlay.get(1).lines()).extracting(d -> d.line().label())
			.containsExactly("live pods with a request rate", "rehearsal current replicas", "rehearsal ready replicas");
		assertThat(overlay.get(1).whenEmpty())
			.startsWith("live current replicas: no kube_horizontalpodautoscaler_status_current_replicas");
		assertThat(HeadlessChromium.dom(dir.resolve("out/index.html"))).contains("data-images=\"loaded 3\"");
		HeadlessChromium.screenshot(dir.resolve("out/index.html"), dir.resolve("out/screenshot.png"), 1280, 1800);
	}

}
