package dev.cumsum.loadtest.report;

import dev.cumsum.loadtest.profile.Params;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * After a load run: queries Prometheus for the run's window and writes the scaling report (CSV, PNG
 * charts, HTML). The PromQL uses the names of docs/metrics.md and kube-state-metrics' HPA series;
 * without HPA series (a local run) the request and latency charts are still drawn and the page says
 * that HPA data was absent.
 *
 * <p>Parameters ({@code key=value} arguments, {@code -Dkey=value} or {@code LOADTEST_KEY}):
 * {@code prometheusUrl} (http://127.0.0.1:9095), {@code start} and {@code end} (epoch seconds or
 * ISO-8601; default: {@code last} (15m) before now), {@code step} (15s), {@code rateWindow} (1m),
 * {@code selector} (the label matchers of the cumsum-api series, {@code application="cumsum-api"}),
 * {@code hpa} (regex of the HPA name, {@code .*cumsum-api.*}), {@code out} (target/scaling-report).
 */
public final class ScalingReport {

    record Settings(String prometheusUrl, long start, long end, long step, String rateWindow,
                    String selector, String hpa, Path out) {

        static Settings from(Params p) {
            long now = Instant.now().getEpochSecond();
            long end = parseTime(p.get("end", null), now);
            long start = parseTime(p.get("start", null), end - p.getDuration("last", Duration.ofMinutes(15)).toSeconds());
            long step = p.getDuration("step", Duration.ofSeconds(15)).toSeconds();
            if (end <= start || step <= 0) {
                throw new IllegalArgumentException("need start < end and step > 0");
            }
            return new Settings(p.get("prometheusUrl", "http://127.0.0.1:9095"), start, end, step,
                    p.get("rateWindow", "1m"), p.get("selector", "application=\"cumsum-api\""),
                    p.get("hpa", ".*cumsum-api.*"), Path.of(p.get("out", "target/scaling-report")));
        }

        private static long parseTime(String v, long fallback) {
            if (v == null) {
                return fallback;
            }
            return v.matches("\\d+(\\.\\d+)?") ? (long) Double.parseDouble(v) : Instant.parse(v).getEpochSecond();
        }
    }

    /** The PromQL of each single-series column. */
    static Map<String, String> queries(Settings s) {
        String sel = s.selector();
        String w = s.rateWindow();
        String hpa = "horizontalpodautoscaler=~\"" + s.hpa() + "\"";
        Map<String, String> q = new LinkedHashMap<>();
        q.put(Columns.RPS, "sum(rate(cumsum_requests_total{" + sel + "}[" + w + "]))");
        q.put(Columns.P99_MS, "1000 * histogram_quantile(0.99, sum by (le) (rate(http_server_requests_seconds_bucket{"
                + sel + ",uri=\"/api\"}[" + w + "])))");
        q.put(Columns.ERROR_RATIO, "(sum(rate(cumsum_requests_total{" + sel + ",outcome!=\"success\"}[" + w + "])) or vector(0))"
                + " / sum(rate(cumsum_requests_total{" + sel + "}[" + w + "]))");
        q.put(Columns.HPA_CURRENT, "max(kube_horizontalpodautoscaler_status_current_replicas{" + hpa + "})");
        q.put(Columns.HPA_DESIRED, "max(kube_horizontalpodautoscaler_status_desired_replicas{" + hpa + "})");
        q.put(Columns.HPA_MIN, "max(kube_horizontalpodautoscaler_spec_min_replicas{" + hpa + "})");
        q.put(Columns.HPA_MAX, "max(kube_horizontalpodautoscaler_spec_max_replicas{" + hpa + "})");
        q.put(Columns.HPA_TARGET, "max(kube_horizontalpodautoscaler_spec_target_metric{" + hpa
                + ",metric_name=\"cumsum_requests_per_second\"})");
        return q;
    }

    static String perPodQuery(Settings s) {
        return "sum by (pod, instance) (rate(cumsum_requests_total{" + s.selector() + "}[" + s.rateWindow() + "]))";
    }

    /** Queries Prometheus and builds the table on the step grid. */
    static Table collect(Settings s) throws IOException, InterruptedException {
        PrometheusClient prometheus = new PrometheusClient(s.prometheusUrl());
        int n = (int) ((s.end() - s.start()) / s.step()) + 1;
        long[] times = new long[n];
        for (int i = 0; i < n; i++) {
            times[i] = s.start() + i * s.step();
        }
        Table table = Table.empty(times);
        for (var e : queries(s).entrySet()) {
            List<PrometheusClient.Series> result = prometheus.queryRange(e.getValue(), s.start(), s.end(), s.step());
            table.columns().put(e.getKey(), align(times, result.isEmpty() ? Map.of() : result.getFirst().values()));
        }
        Map<String, double[]> pods = new TreeMap<>();
        for (var series : prometheus.queryRange(perPodQuery(s), s.start(), s.end(), s.step())) {
            String pod = series.labels().getOrDefault("pod", "");
            String name = pod.isEmpty() ? series.labels().getOrDefault("instance", "unknown") : pod;
            pods.put(Columns.POD_RPS + name, align(times, series.values()));
        }
        table.columns().putAll(pods);
        return table;
    }

    private static double[] align(long[] times, Map<Long, Double> values) {
        double[] out = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            out[i] = values.getOrDefault(times[i], Double.NaN);
        }
        return out;
    }

    /** Collects and writes the report; returns the notes written on the page. */
    static List<String> run(Settings s) throws IOException, InterruptedException {
        Table table = collect(s);
        List<String> notes = new ArrayList<>();
        notes.add("Prometheus " + s.prometheusUrl() + ", window " + Instant.ofEpochSecond(s.start()) + " to "
                + Instant.ofEpochSecond(s.end()) + ", step " + s.step() + " s, rate window " + s.rateWindow());
        notes.add("Series selector {" + s.selector() + "}, HPA name ~ " + s.hpa());
        if (!table.hasData(Columns.HPA_CURRENT) && !table.hasData(Columns.HPA_DESIRED)) {
            notes.add("HPA data absent: no kube_horizontalpodautoscaler_* series matched (local run, or no kube-state-metrics).");
        }
        if (table.hasData(Columns.RPS)) {
            notes.add(String.format(java.util.Locale.ROOT, "Achieved rate: mean %.1f/s, max %.1f/s; pods seen: %d",
                    mean(table.column(Columns.RPS)), max(table.column(Columns.RPS)),
                    table.columnsStartingWith(Columns.POD_RPS).size()));
        }
        ReportWriter.write(table, s.out(), "scaling report", notes);
        return notes;
    }

    static double mean(double[] v) {
        return java.util.Arrays.stream(v).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
    }

    static double max(double[] v) {
        return java.util.Arrays.stream(v).filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN);
    }

    public static void main(String[] args) throws Exception {
        Settings s = Settings.from(Params.fromArgs(args));
        List<String> notes = run(s);
        notes.forEach(System.out::println);
        System.out.println("Report: " + s.out().toAbsolutePath().resolve("index.html"));
    }
}
