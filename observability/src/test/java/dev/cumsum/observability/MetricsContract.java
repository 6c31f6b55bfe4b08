package dev.cumsum.observability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

/**
 * The metrics contract of autoscaling, read from its one definition:
 * {@code metrics.contract} (rate window, counters, custom metric names) and
 * {@code metrics.serviceMonitor.interval} (scrape interval) in the chart's values.yaml.
 * The tests take the window and names from here, never from a literal.
 */
record MetricsContract(String rateWindowText, Duration rateWindow, Duration scrapeInterval,
		Map<String, String> counterOfMetric) {

	static final Path VALUES = Path.of("helm", "cumsum-autoscale", "values.yaml");

	/**
	 * The plain rule file generated from the chart's PrometheusRule
	 * (scripts/render-k8s.sh).
	 */
	static final Path RULES = Path.of("observability", "prometheus-rules.yaml");

	@SuppressWarnings("unchecked")
	static MetricsContract load() throws IOException {
		Map<String, Object> values = new Yaml().load(Files.readString(Tools.repoRoot().resolve(VALUES)));
		Map<String, Object> metrics = (Map<String, Object>) values.get("metrics");
		Map<String, Object> contract = (Map<String, Object>) metrics.get("contract");
		Map<String, String> counterOfMetric = new LinkedHashMap<>();
		contract.values().forEach(v -> {
			if (v instanceof Map<?, ?> m) {
				counterOfMetric.put((String) m.get("metric"), (String) m.get("counter"));
			}
		});
		String window = (String) contract.get("rateWindow");
		String interval = (String) ((Map<String, Object>) metrics.get("serviceMonitor")).get("interval");
		return new MetricsContract(window, duration(window), duration(interval), Map.copyOf(counterOfMetric));
	}

	static Duration duration(String text) {
		return Duration.parse("PT" + text.toUpperCase());
	}

	/**
	 * The recording rule holding {@code counter}'s rate per pod (the adapter's value) or
	 * per service.
	 */
	static String recordingRule(String level, String counter) {
		return level + ":" + counter.replaceFirst("_total$", "") + ":rate";
	}
}
