package dev.cumsum.loadtest.rehearsal;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the autoscaler of one service block ({@code cumsumApi} or {@code transactionApi})
 * from the chart's {@code values.yaml} as templates/autoscaling.yaml renders it:
 * {@code autoscaling.mode} hpa is a Pods metric with an AverageValue target of
 * {@code targetPerPod}; keda is the HPA that KEDA creates for the ScaledObject, an
 * External metric with that AverageValue and minReplicas at least 1 (KEDA's
 * getHPAMinReplicas; KEDA itself scales between 0 and 1); {@code cpu.enabled} adds a cpu
 * Utilization metric. {@code behavior} is a literal HorizontalPodAutoscalerBehavior:
 * absent or null is an HPA without behavior; otherwise what it leaves out takes the
 * Kubernetes defaults, field by field, as the API server does (pkg/apis/autoscaling/v2
 * defaults.go).
 */
public final class ChartValues {

	private ChartValues() {
	}

	public static HpaSpec read(Path valuesYaml, String service) throws IOException {
		return read(List.of(valuesYaml), service);
	}

	/**
	 * Several values files merged as helm does with {@code -f a.yaml -f b.yaml} (maps
	 * deeply, the last wins, null removes).
	 */
	public static HpaSpec read(List<Path> files, String service) throws IOException {
		Path valuesYaml = files.getLast();
		JsonNode a = autoscaling(files, service);
		if (a.has("enabled") && !a.get("enabled").asBoolean()) {
			throw new IOException(valuesYaml + ": " + service + ".autoscaling.enabled is false, nothing to rehearse");
		}
		String mode = a.hasNonNull("mode") ? a.get("mode").asString() : "hpa";
		double target = required(a, "targetPerPod", valuesYaml).asDouble();
		int min = required(a, "minReplicas", valuesYaml).asInt();
		List<HpaMetric> metrics = new ArrayList<>();
		switch (mode) {
			case "hpa" -> metrics.add(new HpaMetric.Pods("requests_per_second", target));
			case "keda" -> {
				metrics.add(new HpaMetric.External("prometheus trigger", target));
				min = Math.max(1, min);
			}
			default -> throw new IOException(
					valuesYaml + ": " + service + ".autoscaling.mode must be hpa or keda, got " + mode);
		}
		JsonNode cpu = a.path("cpu");
		if (cpu.hasNonNull("enabled") && cpu.get("enabled").asBoolean()) {
			metrics.add(new HpaMetric.CpuUtilization(required(cpu, "averageUtilization", valuesYaml).asInt()));
		}
		try {
			return new HpaSpec(min, required(a, "maxReplicas", valuesYaml).asInt(), metrics,
					behavior(a.path("behavior")));
		}
		catch (IllegalArgumentException e) {
			throw new IOException(valuesYaml + ": " + service + ".autoscaling: " + e.getMessage(), e);
		}
	}

	/** The service's autoscaling mode ({@code hpa} or {@code keda}). */
	public static String mode(List<Path> files, String service) throws IOException {
		JsonNode a = autoscaling(files, service);
		return a.hasNonNull("mode") ? a.get("mode").asString() : "hpa";
	}

	/** {@code <service>.resources.requests.cpu} in millicores; 0 when not set. */
	public static long cpuRequestMilli(List<Path> files, String service) throws IOException {
		Path valuesYaml = files.getLast();
		JsonNode cpu = load(files).path(service).path("resources").path("requests").path("cpu");
		if (cpu.isMissingNode() || cpu.isNull()) {
			return 0;
		}
		try {
			return Math.round(quantity(cpu.asString()) * 1000);
		}
		catch (NumberFormatException e) {
			throw new IOException(
					valuesYaml + ": " + service + ".resources.requests.cpu is not a quantity: " + cpu.asString());
		}
	}

	/**
	 * A resource.Quantity without binary suffixes: {@code 0.05}, {@code 50m}, {@code 1},
	 * {@code 1k}.
	 */
	static double quantity(String text) {
		String s = text.strip();
		BigDecimal factor = BigDecimal.ONE;
		if (s.endsWith("m")) {
			factor = new BigDecimal("0.001");
			s = s.substring(0, s.length() - 1);
		}
		else if (s.endsWith("k")) {
			factor = new BigDecimal("1000");
			s = s.substring(0, s.length() - 1);
		}
		return new BigDecimal(s).multiply(factor).doubleValue();
	}

	private static JsonNode autoscaling(List<Path> files, String service) throws IOException {
		JsonNode a = load(files).path(service).path("autoscaling");
		if (a.isMissingNode()) {
			throw new IOException(files + " have no " + service + ".autoscaling block");
		}
		return a;
	}

	private static JsonNode load(List<Path> files) throws IOException {
		YAMLMapper yaml = YAMLMapper.builder().build();
		JsonNode merged = null;
		for (Path f : files) {
			JsonNode next = yaml.readTree(Files.readString(f));
			merged = merged == null ? next : merge(merged, next);
		}
		return merged;
	}

	private static JsonNode merge(JsonNode base, JsonNode override) {
		if (!(base instanceof ObjectNode b) || !(override instanceof ObjectNode o)) {
			return override;
		}
		ObjectNode result = b.deepCopy();
		for (var e : o.properties()) {
			if (e.getValue().isNull()) {
				result.remove(e.getKey());
			}
			else {
				result.set(e.getKey(),
						result.has(e.getKey()) ? merge(result.get(e.getKey()), e.getValue()) : e.getValue());
			}
		}
		return result;
	}

	/**
	 * {@code defaults} with the scrape interval ({@code metrics.serviceMonitor.interval})
	 * and the rate window ({@code metrics.contract.rateWindow}, the metrics contract) of
	 * the chart's values, where the file sets them.
	 */
	public static Rehearsal.Timing timing(Path valuesYaml, Rehearsal.Timing defaults) throws IOException {
		return timing(List.of(valuesYaml), defaults);
	}

	/**
	 * {@link #timing(Path, Rehearsal.Timing)} of several values files merged as by helm
	 * {@code -f}.
	 */
	public static Rehearsal.Timing timing(List<Path> files, Rehearsal.Timing defaults) throws IOException {
		JsonNode metrics = load(files).path("metrics");
		JsonNode scrape = metrics.path("serviceMonitor").path("interval");
		JsonNode window = metrics.path("contract").path("rateWindow");
		return new Rehearsal.Timing(defaults.syncPeriod(),
				scrape.isString() ? seconds(scrape.asString()) : defaults.scrapeInterval(),
				window.isString() ? seconds(window.asString()) : defaults.rateWindow(), defaults.podStartup(),
				defaults.podPending());
	}

	private static int seconds(String duration) {
		return (int) Duration.parse("PT" + duration.toUpperCase(Locale.ROOT)).toSeconds();
	}

	private static JsonNode required(JsonNode a, String key, Path file) throws IOException {
		JsonNode n = a.path(key);
		if (n.isMissingNode() || n.isNull()) {
			throw new IOException(file + ": autoscaling." + key + " is missing");
		}
		return n;
	}

	private static HpaBehavior behavior(JsonNode node) throws IOException {
		if (node.isMissingNode() || node.isNull()) {
			return null;
		}
		return new HpaBehavior(rules(node.path("scaleUp"), ScalingRules.defaultScaleUp(), "scaleUp"),
				rules(node.path("scaleDown"), ScalingRules.defaultScaleDown(), "scaleDown"));
	}

	private static ScalingRules rules(JsonNode node, ScalingRules defaults, String name) throws IOException {
		if (node.isMissingNode() || node.isNull()) {
			return defaults;
		}
		Integer window = node.hasNonNull("stabilizationWindowSeconds")
				? Integer.valueOf(node.get("stabilizationWindowSeconds").asInt())
				: defaults.stabilizationWindowSeconds();
		String select = node.hasNonNull("selectPolicy") ? node.get("selectPolicy").asString() : defaults.selectPolicy();
		List<ScalingPolicy> policies = defaults.policies();
		if (node.hasNonNull("policies")) {
			policies = new ArrayList<>();
			for (JsonNode p : node.path("policies")) {
				policies.add(new ScalingPolicy(p.path("type").asString(), p.path("value").asInt(),
						p.path("periodSeconds").asInt()));
			}
		}
		Double tolerance = null;
		if (node.hasNonNull("tolerance")) {
			try {
				tolerance = quantity(node.get("tolerance").asString());
			}
			catch (NumberFormatException e) {
				throw new IOException("behavior." + name + ".tolerance is not a quantity: " + node.get("tolerance"));
			}
		}
		try {
			return new ScalingRules(window, select, policies, tolerance);
		}
		catch (IllegalArgumentException e) {
			throw new IOException("behavior." + name + ": " + e.getMessage(), e);
		}
	}

}
