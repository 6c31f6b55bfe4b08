package dev.cumsum.loadtest.report;

import dev.cumsum.loadtest.profile.LoadProfile;
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
 * After a load run: queries Prometheus for the run's window and writes the scaling report
 * (CSV, PNG charts, HTML). The PromQL uses the names of docs/metrics.md and
 * kube-state-metrics' HPA series; without HPA series (a local run) the request and
 * latency charts are still drawn and the page says that HPA data was absent.
 *
 * <p>
 * Parameters ({@code key=value} arguments, {@code -Dkey=value} or {@code LOADTEST_KEY}):
 * {@code prometheusUrl} (http://127.0.0.1:9095), {@code start} and {@code end} (epoch
 * seconds or ISO-8601; default: {@code last} (15m) before now), {@code step} (15s),
 * {@code rateWindow} (1m), {@code selector} (the label matchers of the cumsum-api series,
 * {@code application="cumsum-api"}), {@code hpa} (regex of the HPA name,
 * {@code .*cumsum-api.*}), {@code deployment} (regex of the Deployment name for the ready
 * replicas, {@code .*cumsum-api.*}), {@code out} (target/scaling-report). With
 * {@code profile} (and that profile's keys, as given to Gatling) and {@code loadStart}
 * (when the load began, default {@code start}), the offered rate is drawn too: Gatling's
 * open model offers exactly the profile, whatever the service does with it.
 */
public final class ScalingReport {

	record Settings(String prometheusUrl, long start, long end, long step, String rateWindow, String selector,
			String hpa, String deployment, Path out, LoadProfile offered, long loadStart) {

		static Settings from(Params p) {
			long now = Instant.now().getEpochSecond();
			long end = parseTime(p.get("end", null), now);
			long start = parseTime(p.get("start", null),
					end - p.getDuration("last", Duration.ofMinutes(15)).toSeconds());
			long step = p.getDuration("step", Duration.ofSeconds(15)).toSeconds();
			if (end <= start || step <= 0) {
				throw new IllegalArgumentException("need start < end and step > 0");
			}
			LoadProfile offered = p.get("profile", null) == null ? null : LoadProfile.from(p);
			return new Settings(p.get("prometheusUrl", "http://127.0.0.1:9095"), start, end, step,
					p.get("rateWindow", "1m"), p.get("selector", "application=\"cumsum-api\""),
					p.get("hpa", ".*cumsum-api.*"), p.get("deployment", ".*cumsum-api.*"),
					Path.of(p.get("out", "target/scaling-report")), offered,
					parseTime(p.get("loadStart", null), start));
		}

		/** The settings table of the page. */
		List<ReportPage.Setting> rows() {
			List<ReportPage.Setting> rows = new ArrayList<>();
			rows.add(new ReportPage.Setting("Prometheus", prometheusUrl));
			rows.add(new ReportPage.Setting("Window",
					Instant.ofEpochSecond(start) + " to " + Instant.ofEpochSecond(end) + " (" + (end - start) + " s)"));
			rows.add(new ReportPage.Setting("Step / rate window", step + " s / " + rateWindow));
			rows.add(new ReportPage.Setting("Series selector", "{" + selector + "}"));
			rows.add(new ReportPage.Setting("HPA / Deployment name", "~ " + hpa + " / ~ " + deployment));
			rows.add(new ReportPage.Setting("Offered load", offered == null
					? "not given (pass the run's profile parameters to draw it)"
					: offered.name() + " profile from " + Instant.ofEpochSecond(loadStart) + ": " + describe(offered)));
			return rows;
		}

		private static String describe(LoadProfile profile) {
			return String.join(", ", profile.stages().stream().map(st -> {
				String d = st.duration().toString().substring(2).toLowerCase(java.util.Locale.ROOT);
				return st.isConstant() ? String.format(java.util.Locale.ROOT, "%.0f/s for %s", st.startRate(), d)
						: String.format(java.util.Locale.ROOT, "%.0f to %.0f/s over %s", st.startRate(), st.endRate(),
								d);
			}).toList());
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
		q.put(Columns.ERROR_RATIO, "(sum(rate(cumsum_requests_total{" + sel + ",outcome!=\"success\"}[" + w
				+ "])) or vector(0))" + " / sum(rate(cumsum_requests_total{" + sel + "}[" + w + "]))");
		q.put(Columns.HPA_CURRENT, "max(kube_horizontalpodautoscaler_status_current_replicas{" + hpa + "})");
		q.put(Columns.HPA_DESIRED, "max(kube_horizontalpodautoscaler_status_desired_replicas{" + hpa + "})");
		q.put(Columns.HPA_MIN, "max(kube_horizontalpodautoscaler_spec_min_replicas{" + hpa + "})");
		q.put(Columns.HPA_MAX, "max(kube_horizontalpodautoscaler_spec_max_replicas{" + hpa + "})");
		q.put(Columns.HPA_TARGET, "max(kube_horizontalpodautoscaler_spec_target_metric{" + hpa
				+ ",metric_name=\"cumsum_requests_per_second\"})");
		q.put(Columns.HPA_METRIC, "max(kube_horizontalpodautoscaler_status_target_metric{" + hpa
				+ ",metric_name=\"cumsum_requests_per_second\"})");
		q.put(Columns.READY_PODS, "max(kube_deployment_status_replicas_ready{deployment=~\"" + s.deployment() + "\"})");
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
		// an idle pod still has a rate (0); no pod with a value is a hole in the data,
		// not 0 pods
		double[] serving = new double[n];
		for (int i = 0; i < n; i++) {
			for (double[] pod : pods.values()) {
				serving[i] += Double.isNaN(pod[i]) ? 0 : 1;
			}
			serving[i] = serving[i] == 0 ? Double.NaN : serving[i];
		}
		table.columns().put(Columns.SERVING_PODS, serving);
		if (s.offered() != null) {
			double[] offered = new double[n];
			for (int i = 0; i < n; i++) {
				double since = times[i] - s.loadStart();
				offered[i] = since < 0 ? 0 : s.offered().rateAt(since);
			}
			table.columns().put(Columns.OFFERED_RPS, offered);
		}
		return table;
	}

	private static double[] align(long[] times, Map<Long, Double> values) {
		double[] out = new double[times.length];
		for (int i = 0; i < times.length; i++) {
			out[i] = values.getOrDefault(times[i], Double.NaN);
		}
		return out;
	}

	/** Collects and writes the report; returns the key numbers at the top of the page. */
	static KeyNumbers run(Settings s) throws IOException, InterruptedException {
		Table table = collect(s);
		List<String> notes = new ArrayList<>();
		if (!table.hasData(Columns.HPA_CURRENT) && !table.hasData(Columns.HPA_DESIRED)) {
			notes.add(
					"HPA data absent: no kube_horizontalpodautoscaler_* series matched (a local run, or no kube-state-metrics);"
							+ " the replicas panel shows the pods that reported a request rate.");
		}
		notes.add("Pods seen: " + table.columnsStartingWith(Columns.POD_RPS).size() + ".");
		ReportWriter.write(table, s.out(), new ReportPage("Scaling report", s.rows(), notes));
		return KeyNumbers.of(table);
	}

	public static void main(String[] args) throws Exception {
		Settings s = Settings.from(Params.fromArgs(args));
		KeyNumbers numbers = run(s);
		numbers.rows()
			.forEach(r -> System.out.println(r.name() + ": "
					+ (r.value() == null ? "none (" + r.detail() + ")" : r.value() + " (" + r.detail() + ")")));
		System.out.println("Report: " + s.out().toAbsolutePath().resolve("index.html"));
	}

}
