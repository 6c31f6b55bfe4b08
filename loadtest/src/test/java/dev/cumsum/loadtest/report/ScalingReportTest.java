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
 * The report against a real Prometheus holding a known scenario: pod a serves 10/s (one in ten a
 * server error) all along, pod b joins at +600 s with 20/s; the HPA goes from 1 to 2 replicas; every
 * request of pod a takes between 10 and 100 ms.
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
            om.sample("cumsum_requests_total", APP + ",pod=\"cumsum-api-a\",mode=\"man\",outcome=\"success\"", 9.0 * (t - t0), t);
        }
        for (long t : times) {
            om.sample("cumsum_requests_total", APP + ",pod=\"cumsum-api-a\",mode=\"man\",outcome=\"server_error\"", 1.0 * (t - t0), t);
        }
        for (long t : times) {
            if (t >= t0 + 600) {
                om.sample("cumsum_requests_total", APP + ",pod=\"cumsum-api-b\",mode=\"man\",outcome=\"success\"", 20.0 * (t - t0 - 600), t);
            }
        }
        om.family("http_server_requests_seconds", "histogram");
        String h = APP + ",pod=\"cumsum-api-a\",method=\"POST\",uri=\"/api\",status=\"200\"";
        for (String le : new String[] {"0.01", "0.1", "+Inf"}) {
            for (long t : times) {
                om.sample("http_server_requests_seconds_bucket", h + ",le=\"" + le + "\"", le.equals("0.01") ? 0 : 10.0 * (t - t0), t);
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
                HPA + ",metric_name=\"cumsum_requests_per_second\",metric_target_type=\"average\"", times, t -> 50);
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
        return ScalingReport.Settings.from(Params.of(Map.of(
                "prometheusUrl", prometheus.url(), "start", Long.toString(t0 + 120), "end", Long.toString(t0 + 1200),
                "step", "15s", "hpa", hpa, "out", out.toString())));
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
        var notes = ScalingReport.run(settings(out, "cumsum-api"));

        Table csv = Table.readCsv(out.resolve("data.csv"));
        assertThat(csv.times()).hasSize(73).startsWith(t0 + 120).endsWith(t0 + 1200);
        long before = t0 + 300;
        long after = t0 + 900;
        assertThat(at(csv, Columns.RPS, before)).isCloseTo(10.0, within(1e-6));
        assertThat(at(csv, Columns.RPS, after)).isCloseTo(30.0, within(1e-6));
        assertThat(at(csv, Columns.POD_RPS + "cumsum-api-a", after)).isCloseTo(10.0, within(1e-6));
        assertThat(at(csv, Columns.POD_RPS + "cumsum-api-b", before)).isNaN();
        assertThat(at(csv, Columns.POD_RPS + "cumsum-api-b", after)).isCloseTo(20.0, within(1e-6));
        assertThat(at(csv, Columns.ERROR_RATIO, before)).isCloseTo(0.1, within(1e-6));
        assertThat(at(csv, Columns.ERROR_RATIO, after)).isCloseTo(1.0 / 30, within(1e-6));
        // all observations in (0.01, 0.1]: linear interpolation puts p99 at 0.01 + 0.09 * 0.99 s
        assertThat(at(csv, Columns.P99_MS, before)).isCloseTo(99.1, within(1e-6));
        assertThat(at(csv, Columns.HPA_CURRENT, before)).isEqualTo(1);
        assertThat(at(csv, Columns.HPA_CURRENT, after)).isEqualTo(2);
        assertThat(at(csv, Columns.HPA_DESIRED, t0 + 585)).isEqualTo(2);
        assertThat(at(csv, Columns.HPA_DESIRED, t0 + 570)).isEqualTo(1);
        assertThat(at(csv, Columns.HPA_MIN, after)).isEqualTo(1);
        assertThat(at(csv, Columns.HPA_MAX, after)).isEqualTo(10);
        assertThat(at(csv, Columns.HPA_TARGET, after)).isEqualTo(50);

        for (String png : new String[] {"rps.png", "rps_per_pod.png", "replicas.png", "latency_p99.png", "error_ratio.png"}) {
            BufferedImage image = ImageIO.read(out.resolve(png).toFile());
            assertThat(image).as(png).isNotNull();
            assertThat(image.getWidth()).isEqualTo(ReportWriter.WIDTH);
            assertThat(image.getHeight()).isEqualTo(ReportWriter.HEIGHT);
        }
        String html = Files.readString(out.resolve("index.html"));
        assertThat(html).contains("<img src=\"replicas.png\"", "data.csv").doesNotContain("HPA data absent");
        assertThat(notes).anyMatch(n -> n.startsWith("Achieved rate: mean") && n.endsWith("pods seen: 2"));
    }

    @Test
    void withoutHpaSeriesTheRateChartsAreStillDrawnAndTheAbsenceIsSaid() throws Exception {
        Path out = work.resolve("report-no-hpa");
        ScalingReport.run(settings(out, "no-such-hpa"));

        assertThat(out.resolve("rps.png")).exists();
        assertThat(out.resolve("latency_p99.png")).exists();
        assertThat(out.resolve("replicas.png")).doesNotExist();
        assertThat(Files.readString(out.resolve("index.html"))).contains("HPA data absent");
        Table csv = Table.readCsv(out.resolve("data.csv"));
        assertThat(csv.hasData(Columns.HPA_CURRENT)).isFalse();
        assertThat(csv.hasData(Columns.RPS)).isTrue();
    }
}
