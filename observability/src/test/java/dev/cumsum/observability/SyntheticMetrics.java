package dev.cumsum.observability;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Collectors;

/**
 * Half an hour of series shaped like a cluster running the chart, written as OpenMetrics
 * for {@code promtool tsdb create-blocks-from openmetrics}: every metric of
 * docs/metrics.md for two cumsum-api pods with traffic, one idle cumsum-api pod and two
 * transaction-api pods, plus the kube-state-metrics HPA/Deployment/pod series and
 * cAdvisor CPU series the dashboards read. Rates are constant so tests can predict exact
 * values.
 */
final class SyntheticMetrics {

	static final String NAMESPACE = "demo";
	static final Duration STEP = Duration.ofSeconds(15);
	static final Duration SPAN = Duration.ofMinutes(30);

	/** Requests/s per cumsum-api pod; pod "c" is idle (counters registered at 0). */
	static final Map<String, Double> CUMSUM_RPS = linked("cumsum-api-7d9f8-a", 40.0, "cumsum-api-7d9f8-b", 25.0,
			"cumsum-api-7d9f8-c", 0.0);

	/** Records/s per transaction-api pod. */
	static final Map<String, Double> TRANSACTION_RPS = linked("transaction-api-5c6b7-a", 33.0,
			"transaction-api-5c6b7-b", 32.0);
	static final String CUMSUM_HPA = "cumsum-autoscale-cumsum-api";
	static final String TRANSACTION_HPA = "cumsum-autoscale-transaction-api";

	private static final double[] BUCKETS = { 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, Double.POSITIVE_INFINITY };

	/** Share of observations at or under each bucket bound. */
	private static final double[] CUMULATIVE = { 0.0, 0.6, 0.9, 0.99, 1, 1, 1, 1, 1, 1 };

	private record Family(String name, List<String> lines) {
	}

	private final Instant start;

	private final Instant end;

	private final Map<String, Family> families = new LinkedHashMap<>();

	SyntheticMetrics(Instant end) {
		this.end = end;
		this.start = end.minus(SPAN);
	}

	Instant start() {
		return start;
	}

	Instant end() {
		return end;
	}

	/**
	 * The series as OpenMetrics text, for
	 * {@code promtool tsdb create-blocks-from openmetrics}.
	 */
	String openMetrics() {
		families.clear();
		generate();
		StringBuilder out = new StringBuilder();
		for (Family family : families.values()) {
			out.append("# TYPE ").append(family.name).append(" unknown\n");
			family.lines.forEach(out::append);
		}
		return out.append("# EOF\n").toString();
	}

	private void generate() {
		int podIndex = 0;
		for (var pod : CUMSUM_RPS.entrySet()) {
			Map<String, String> target = target("cumsum-api", pod.getKey(), ++podIndex, 8081);
			cumsumApi(target, pod.getValue());
			jvm(target, podIndex);
			kubePod(pod.getKey(), "cumsum-api", pod.getValue() / 100);
		}
		for (var pod : TRANSACTION_RPS.entrySet()) {
			Map<String, String> target = target("transaction-api", pod.getKey(), ++podIndex, 9091);
			transactionApi(target, pod.getValue());
			jvm(target, podIndex);
			kubePod(pod.getKey(), "transaction-api", pod.getValue() / 150);
		}
		long switchAt = start.plus(SPAN.dividedBy(2)).getEpochSecond();
		hpa(CUMSUM_HPA, "cumsum_requests_per_second", 50, t -> t < switchAt ? 2 : 3);
		hpa(TRANSACTION_HPA, "transaction_records_per_second", 100, t -> t < switchAt ? 1 : 2);
	}

	private void cumsumApi(Map<String, String> target, double rps) {
		// 97.5% success, 1.5% unavailable (503), 1% client errors when the pod has
		// traffic
		counter("cumsum_requests_total", with(target, "mode", "man", "outcome", "success"), rps * 0.6);
		counter("cumsum_requests_total", with(target, "mode", "np", "outcome", "success"), rps * 0.375);
		counter("cumsum_requests_total", with(target, "mode", "man", "outcome", "unavailable"), rps * 0.015);
		counter("cumsum_requests_total", with(target, "mode", "invalid", "outcome", "client_error"), rps * 0.01);
		counter("cumsum_requests_total", with(target, "mode", "man", "outcome", "server_error"), 0);
		histogram("http_server_requests_seconds", with(target, "method", "POST", "uri", "/api", "status", "200",
				"outcome", "SUCCESS", "exception", "none", "error", "none"), rps * 0.975, 0.004);
		histogram("http_server_requests_seconds", with(target, "method", "GET", "uri", "/actuator/prometheus", "status",
				"200", "outcome", "SUCCESS", "exception", "none", "error", "none"), 1.0 / 15, 0.01);
		Map<String, String> strict = with(target, "delivery", "strict");
		counter("cumsum_delivery_records_total", with(strict, "result", "acknowledged"), rps * 0.975);
		counter("cumsum_delivery_records_total", with(strict, "result", "failed"), rps * 0.015);
		counter("cumsum_delivery_records_total", with(strict, "result", "rejected"), 0);
		counter("cumsum_delivery_records_total", with(strict, "result", "lost"), 0);
		counter("cumsum_delivery_retries_total", strict, rps / 200);
		gauge("cumsum_delivery_buffer_size", strict, t -> rps > 0 ? 5 + (t % 60) / 4 : 0);
		gauge("cumsum_delivery_buffer_capacity", strict, t -> 10_000);
		summary("cumsum_delivery_batch_size", strict, rps / 10, 10, 32);
		histogram("cumsum_delivery_batch_seconds", with(strict, "outcome", "success"), rps / 10, 0.003);
	}

	private void transactionApi(Map<String, String> target, double rps) {
		counter("transaction_records_total", with(target, "result", "inserted"), rps - 0.5);
		counter("transaction_records_total", with(target, "result", "duplicate"), 0.5);
		counter("transaction_records_total", with(target, "result", "failed"), 0);
		summary("transaction_batch_size", target, rps / 10, 10, 30);
		histogram("transaction_write_seconds", with(target, "outcome", "success"), rps / 10, 0.002);
		gauge("transaction_history_records", target, t -> 250_000 + 65 * (t - start.getEpochSecond()));
		for (String command : List.of("insert", "find", "aggregate")) {
			Map<String, String> labels = with(target, "command", command, "status", "SUCCESS", "cluster_id",
					"65a1f0c2e4b0a1b2c3d4e5f6", "server_address", "mongodb-0.mongodb:27017");
			double perSecond = command.equals("insert") ? rps / 10 : 0.2;
			counter("mongodb_driver_commands_seconds_count", labels, perSecond);
			counter("mongodb_driver_commands_seconds_sum", labels, perSecond * 0.0015);
			gauge("mongodb_driver_commands_seconds_max", labels, t -> 0.012);
		}
	}

	private void jvm(Map<String, String> target, int podIndex) {
		gauge("jvm_memory_used_bytes", with(target, "area", "heap", "id", "G1 Eden Space"),
				t -> 40e6 + (t % 120) * 2e5);
		gauge("jvm_memory_used_bytes", with(target, "area", "heap", "id", "G1 Old Gen"), t -> 60e6 + podIndex * 1e6);
		gauge("jvm_memory_used_bytes", with(target, "area", "nonheap", "id", "Metaspace"), t -> 70e6);
		Map<String, String> gc = with(target, "action", "end of minor GC", "cause", "G1 Evacuation Pause", "gc",
				"G1 Young Generation");
		counter("jvm_gc_pause_seconds_count", gc, 0.1);
		counter("jvm_gc_pause_seconds_sum", gc, 0.0004);
		gauge("jvm_gc_pause_seconds_max", gc, t -> 0.006);
		gauge("jvm_threads_live_threads", target, t -> 40 + podIndex);
		gauge("process_cpu_usage", target, t -> 0.1 * podIndex);
		gauge("process_uptime_seconds", target, t -> 3600 + t - start.getEpochSecond());
		gauge("application_started_time_seconds", target, t -> 3.5 + podIndex / 10.0);
		gauge("application_ready_time_seconds", target, t -> 3.7 + podIndex / 10.0);
		gauge("up",
				target.entrySet()
					.stream()
					.filter(e -> !e.getKey().equals("application"))
					.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new)),
				t -> 1);
	}

	private void kubePod(String pod, String container, double cpuCores) {
		Map<String, String> cadvisor = linked("job", "kubelet", "metrics_path", "/metrics/cadvisor", "namespace",
				NAMESPACE, "pod", pod);
		counter("container_cpu_usage_seconds_total", with(cadvisor, "container", container), cpuCores);
		// the pod cgroup and the pause container: dashboards must not add these to the
		// container
		counter("container_cpu_usage_seconds_total", with(cadvisor, "container", ""), cpuCores * 1.05);
		counter("container_cpu_usage_seconds_total", with(cadvisor, "container", "POD"), 0.0001);
		gauge("kube_pod_container_resource_requests",
				with(ksm(), "pod", pod, "container", container, "resource", "cpu", "unit", "core"), t -> 0.25);
	}

	private void hpa(String name, String metric, double target, DoubleUnaryOperator replicas) {
		Map<String, String> hpa = with(ksm(), "horizontalpodautoscaler", name);
		gauge("kube_horizontalpodautoscaler_spec_min_replicas", hpa, t -> 1);
		gauge("kube_horizontalpodautoscaler_spec_max_replicas", hpa, t -> 10);
		gauge("kube_horizontalpodautoscaler_status_current_replicas", hpa, replicas);
		gauge("kube_horizontalpodautoscaler_status_desired_replicas", hpa, replicas);
		gauge("kube_horizontalpodautoscaler_spec_target_metric",
				with(hpa, "metric_name", metric, "metric_target_type", "average"), t -> target);
		for (String condition : List.of("AbleToScale", "ScalingActive", "ScalingLimited")) {
			boolean healthy = !condition.equals("ScalingLimited");
			for (String status : List.of("true", "false", "unknown")) {
				double value = status.equals(String.valueOf(healthy)) ? 1 : 0;
				gauge("kube_horizontalpodautoscaler_status_condition",
						with(hpa, "condition", condition, "status", status), t -> value);
			}
		}
		gauge("kube_deployment_status_replicas_ready", with(ksm(), "deployment", name), replicas);
		gauge("kube_deployment_spec_replicas", with(ksm(), "deployment", name), replicas);
	}

	private static Map<String, String> target(String service, String pod, int index, int port) {
		return linked("application", service, "instance", "10.0.1." + index + ":" + port, "job", service, "namespace",
				NAMESPACE, "pod", pod, "service", service, "container", service, "endpoint", "management");
	}

	private static Map<String, String> ksm() {
		return linked("job", "kube-state-metrics", "instance", "10.0.9.9:8080", "namespace", NAMESPACE);
	}

	private void counter(String name, Map<String, String> labels, double perSecond) {
		series(name, labels, t -> perSecond * (t - start.getEpochSecond()));
	}

	private void gauge(String name, Map<String, String> labels, DoubleUnaryOperator value) {
		series(name, labels, value);
	}

	private void summary(String name, Map<String, String> labels, double perSecond, double mean, double max) {
		counter(name + "_count", labels, perSecond);
		counter(name + "_sum", labels, perSecond * mean);
		gauge(name + "_max", labels, t -> max);
	}

	private void histogram(String name, Map<String, String> labels, double perSecond, double mean) {
		for (int i = 0; i < BUCKETS.length; i++) {
			String le = Double.isInfinite(BUCKETS[i]) ? "+Inf" : String.valueOf(BUCKETS[i]);
			counter(name + "_bucket", with(labels, "le", le), perSecond * CUMULATIVE[i]);
		}
		summary(name, labels, perSecond, mean, 0.08);
	}

	private void series(String name, Map<String, String> labels, DoubleUnaryOperator value) {
		String labelText = labels.entrySet()
			.stream()
			.map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
			.collect(Collectors.joining(",", "{", "}"));
		Family family = families.computeIfAbsent(name, n -> new Family(n, new ArrayList<>()));
		StringBuilder out = new StringBuilder();
		for (long t = start.getEpochSecond(); t <= end.getEpochSecond(); t += STEP.toSeconds()) {
			out.append(name)
				.append(labelText)
				.append(' ')
				.append(value.applyAsDouble(t))
				.append(' ')
				.append(t)
				.append('\n');
		}
		family.lines.add(out.toString());
	}

	private static Map<String, String> with(Map<String, String> base, String... keyValues) {
		Map<String, String> labels = new LinkedHashMap<>(base);
		labels.putAll(linked(keyValues));
		return labels;
	}

	@SuppressWarnings("unchecked")
	private static <V> Map<String, V> linked(Object... keyValues) {
		Map<String, V> map = new LinkedHashMap<>();
		for (int i = 0; i < keyValues.length; i += 2) {
			map.put((String) keyValues[i], (V) keyValues[i + 1]);
		}
		return map;
	}

}
