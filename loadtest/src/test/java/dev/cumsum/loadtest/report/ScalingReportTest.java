package dev.cumsum.loadtest.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cumsum.loadtest.profile.Params;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report against a real Prometheus holding a known scenario: pod a serves 10/s (one
 * in ten a server error) all along, pod b joins at +600 s with 20/s; the HPA (target 20/s
 * per pod) goes from 1 to 2 replicas, the second one ready at +660 s; every request of
 * pod a takes between 10 and 100 ms.
 */
class ScalingReportTest {

	static final String APP = "application=\"cumsum-api\",namespace=\"demo\"";
	static final String HPA = "horizontalpodautoscaler=\"cumsum-api\",namespace=\"demo\"";

	@TempDir
	static Path work;
	static BackfilledPrometheus prometheus;
	static long t0;

	@BeforeAll
	static void startPrometheus() throws Exception {
		t0 = (Instant.now().getEpochSecond() - 3 * 3600) / 60 * 60;
		var om = new BackfilledPrometheus.OpenMetrics();
		var times = BackfilledPrometheus.grid(t0, t0 + 1200, 15);
		om.family("cumsum_requests", "counter");
		for (long t : times) {
			om.sample("cumsum_requests_total", APP + ",pod=\"cumsum-api-a\",mode=\"man\",outcome=\"success\"",
					9.0 * (t - t0), t);
		}
		for (long t : times) {
			om.sample("cumsum_requests_total", APP + ",pod=\"cumsum-api-a\",mode=\"man\",outcome=\"server_error\"",
					1.0 * (t - t0), t);
		}
		for (long t : times) {
			if (t >= t0 + 600) {
				om.sample("cumsum_requests_total", APP + ",pod=\"cumsum-api-b\",mode=\"man\",outcome=\"success\"",
						20.0 * (t - t0 - 600), t);
			}
		}
		om.family("http_server_requests_seconds", "histogram");
		String h = APP + ",pod=\"cumsum-api-a\",method=\"POST\",uri=\"/api\",status=\"200\"";
		for (String le : new String[] { "0.01", "0.1", "+Inf" }) {
			for (long t : times) {
				om.sample("http_server_requests_seconds_bucket", h + ",le=\"" + le + "\"",
						le.equals("0.01") ? 0 : 10.0 * (t - t0), t);
			}
		}
		for (long t : times) {
			om.sample("http_server_requests_seconds_count", h, 10.0 * (t - t0), t);
		}
		for (long t : times) {
			om.sample("http_server_requests_seconds_sum", h, 0.5 * (t - t0), t);
		}
		gauge(om, "kube_horizontalpodautoscaler_status_current_replicas", HPA, times, t -> t < t0 + 600 ? 1 : 2);
		gauge(om, "kube_horizontalpodautoscaler_status_desired_replicas", HPA, times, t -> t < t0 + 585 ? 1 : 2);
		gauge(om, "kube_horizontalpodautoscaler_spec_min_replicas", HPA, times, t -> 1);
		gauge(om, "kube_horizontalpodautoscaler_spec_max_replicas", HPA, times, t -> 10);
		gauge(om, "kube_horizontalpodautoscaler_spec_target_metric",
				HPA + ",metric_name=\"cumsum_requests_per_second\",metric_target_type=\"average\"", times, t -> 20);
		gauge(om, "kube_horizontalpodautoscaler_status_target_metric",
				HPA + ",metric_name=\"cumsum_requests_per_second\",metric_target_type=\"average\"", times,
				t -> t < t0 + 615 ? 10 : 15);
		gauge(om, "kube_deployment_status_replicas_ready", "deployment=\"cumsum-api\",namespace=\"demo\"", times,
				t -> t < t0 + 660 ? 1 : 2);
		prometheus = BackfilledPrometheus.start(work, om.build());
	}

	private static void gauge(BackfilledPrometheus.OpenMetrics om, String name, String labels, Iterable<Long> times,
			java.util.function.LongToDoubleFunction f) {
		om.family(name, "gauge");
		for (long t : times) {
			om.sample(name, labels, f.applyAsDouble(t), t);
		}
	}

	@AfterAll
	static void stop() throws Exception {
		if (prometheus != null) {
			prometheus.close();
		}
	}

	private ScalingReport.Settings settings(Path out, String hpa) {
		// the load generator's profile: 30/s from t0 for 20 minutes (more than was served
		// before +600 s)
		return ScalingReport.Settings.from(Params
			.of(Map.ofEntries(Map.entry("prometheusUrl", prometheus.url()), Map.entry("start", Long.toString(t0 + 120)),
					Map.entry("end", Long.toString(t0 + 1200)), Map.entry("step", "15s"), Map.entry("hpa", hpa),
					Map.entry("deployment", hpa), Map.entry("out", out.toString()), Map.entry("profile", "steady"),
					Map.entry("rate", "30"), Map.entry("duration", "20m"), Map.entry("loadStart", Long.toString(t0)))));
	}

	private static double at(Table table, String column, long time) {
		for (int i = 0; i < table.times().length; i++) {
			if (table.times()[i] == time) {
				return table.column(column)[i];
			}
		}
		throw new AssertionError("no row at " + time);
	}

	@Test
	void reportHasTheScenarioValuesInItsCsvAndDrawsEveryChart() throws Exception {
		// kept under target/ so the rendered pictures can be looked at after the build
		Path out = Path.of("target", "scaling-report-test");
		KeyNumbers numbers = ScalingReport.run(settings(out, "cumsum-api"));

		Table csv = Table.readCsv(out.resolve("data.csv"));
		assertThat(csv.times()).hasSize(73).startsWith(t0 + 120).endsWith(t0 + 1200);
		long before = t0 + 300;
		long after = t0 + 900;
		assertThat(at(csv, Columns.RPS, before)).isCloseTo(10.0, within(1e-6));
		assertThat(at(csv, Columns.RPS, after)).isCloseTo(30.0, within(1e-6));
		assertThat(at(csv, Columns.OFFERED_RPS, before)).isEqualTo(30);
		assertThat(at(csv, Columns.POD_RPS + "cumsum-api-a", after)).isCloseTo(10.0, within(1e-6));
		assertThat(at(csv, Columns.POD_RPS + "cumsum-api-b", before)).isNaN();
		assertThat(at(csv, Columns.POD_RPS + "cumsum-api-b", after)).isCloseTo(20.0, within(1e-6));
		assertThat(at(csv, Columns.SERVING_PODS, before)).isEqualTo(1);
		assertThat(at(csv, Columns.SERVING_PODS, after)).isEqualTo(2);
		assertThat(at(csv, Columns.ERROR_RATIO, before)).isCloseTo(0.1, within(1e-6));
		assertThat(at(csv, Columns.ERROR_RATIO, after)).isCloseTo(1.0 / 30, within(1e-6));
		// all observations in (0.01, 0.1]: linear interpolation puts p99 at 0.01 + 0.09 *
		// 0.99 s
		assertThat(at(csv, Columns.P99_MS, before)).isCloseTo(99.1, within(1e-6));
		assertThat(at(csv, Columns.HPA_CURRENT, before)).isEqualTo(1);
		assertThat(at(csv, Columns.HPA_CURRENT, after)).isEqualTo(2);
		assertThat(at(csv, Columns.HPA_DESIRED, t0 + 585)).isEqualTo(2);
		assertThat(at(csv, Columns.HPA_DESIRED, t0 + 570)).isEqualTo(1);
		assertThat(at(csv, Columns.HPA_MIN, after)).isEqualTo(1);
		assertThat(at(csv, Columns.HPA_MAX, after)).isEqualTo(10);
		assertThat(at(csv, Columns.HPA_TARGET, after)).isEqualTo(20);
		assertThat(at(csv, Columns.HPA_METRIC, after)).isEqualTo(15);
		assertThat(at(csv, Columns.READY_PODS, t0 + 645)).isEqualTo(1);
		assertThat(at(csv, Columns.READY_PODS, t0 + 660)).isEqualTo(2);

		// pod b's 1-minute rate grows 5, 10, 15, 20/s from +615 s; at +645 the total
		// (25/s) is still on one
		// ready pod, above 20 x 1.1, for one 15 s step; at +660 the second pod is ready
		assertThat(at(csv, Columns.RPS, t0 + 645)).isCloseTo(25.0, within(1e-6));
		assertThat(numbers.row("Peak replicas").value()).isEqualTo("2");
		assertThat(numbers.row("Peak load per ready pod").value()).isEqualTo("25.0/s");
		assertThat(numbers.row("Seconds above target").value()).isEqualTo("15 s");
		assertThat(numbers.row("Load step until ready capacity covered it").value()).isEqualTo("15 s");
		assertThat(numbers.row("Load step until ready capacity covered it").detail()).contains("from 8:45");

		for (String png : new String[] { "rps.png", "rps_per_pod.png", "replicas.png", "latency_p99.png",
				"error_ratio.png" }) {
			BufferedImage image = ImageIO.read(out.resolve(png).toFile());
			assertThat(image).as(png).isNotNull();
			assertThat(image.getWidth()).isEqualTo(ReportWriter.WIDTH);
			assertThat(image.getHeight()).isEqualTo(ReportWriter.HEIGHT);
		}
		BufferedImage figure = ImageIO.read(out.resolve(ReportWriter.FIGURE).toFile());
		assertThat(figure.getHeight()).isEqualTo(Figure.HEADER_HEIGHT + 5 * Figure.PANEL_HEIGHT);
		String html = Files.readString(out.resolve("index.html"));
		assertThat(html)
			.contains("<img src=\"figure.png\"", "data.csv", "None: every series of the figure has data",
					"<th>Offered load</th><td>steady profile from ")
			.doesNotContain("HPA data absent", "Settings[");
		assertThat(HeadlessChromium.dom(out.resolve("index.html"))).contains("data-images=\"loaded 1\"");
	}

	@Test
	void withoutHpaSeriesTheRateChartsAreStillDrawnAndTheAbsenceIsSaid() throws Exception {
		Path out = work.resolve("report-no-hpa");
		ScalingReport.run(settings(out, "no-such-hpa"));

		assertThat(out.resolve("rps.png")).exists();
		assertThat(out.resolve("latency_p99.png")).exists();
		// no HPA or Deployment series: the replicas panel shows the pods that reported a
		// rate
		assertThat(out.resolve("replicas.png")).exists();
		assertThat(out.resolve(ReportWriter.FIGURE)).exists();
		assertThat(Files.readString(out.resolve("index.html"))).contains("HPA data absent",
				"desired: no kube_horizontalpodautoscaler_status_desired_replicas series", "none: no HPA target");
		Table csv = Table.readCsv(out.resolve("data.csv"));
		assertThat(csv.hasData(Columns.HPA_CURRENT)).isFalse();
		assertThat(csv.column(Columns.SERVING_PODS)).contains(1.0, 2.0);
		assertThat(csv.hasData(Columns.RPS)).isTrue();
	}

}
