package dev.cumsum.observability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.Yaml;

/**
 * One custom-metrics rule of platform/prometheus-adapter-values.yaml, rendered the way
 * prometheus-adapter renders its metricsQuery template (pkg/naming/metrics_query.go,
 * Build): {@code <<.LabelMatchers>>} is the namespace matcher then the resource label
 * matcher ({@code ="name"} for one object, {@code =~"a|b"} for several),
 * {@code <<.GroupBy>>} is the resource label.
 */
record AdapterRule(String series, String metricName, String metricsQuery, Map<String, String> labelForResource) {

	private static final Pattern WINDOW = Pattern.compile("\\[(\\d+)([smh])]");

	static final Path VALUES = Path.of("platform", "prometheus-adapter-values.yaml");

	@SuppressWarnings("unchecked")
	static Map<String, Object> values() throws IOException {
		return new Yaml().load(Files.readString(Tools.repoRoot().resolve(VALUES)));
	}

	@SuppressWarnings("unchecked")
	static List<AdapterRule> load() throws IOException {
		Map<String, Object> rules = (Map<String, Object>) values().get("rules");
		return ((List<Map<String, Object>>) rules.get("custom")).stream().map(AdapterRule::of).toList();
	}

	static AdapterRule named(String metricName) throws IOException {
		return load().stream()
			.filter(r -> r.metricName.equals(metricName))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no adapter rule publishes " + metricName));
	}

	@SuppressWarnings("unchecked")
	private static AdapterRule of(Map<String, Object> rule) {
		String seriesQuery = (String) rule.get("seriesQuery");
		String series = seriesQuery.contains("{") ? seriesQuery.substring(0, seriesQuery.indexOf('{')) : seriesQuery;
		Map<String, Object> name = (Map<String, Object>) rule.get("name");
		String as = (String) name.get("as");
		if (!series.matches((String) name.get("matches"))) {
			throw new IllegalStateException("name.matches does not match the series " + series);
		}
		Map<String, Map<String, String>> overrides = (Map<String, Map<String, String>>) ((Map<String, Object>) rule
			.get("resources")).get("overrides");
		Map<String, String> labelForResource = new java.util.HashMap<>();
		overrides.forEach((label, resource) -> labelForResource.put(resource.get("resource"), label));
		return new AdapterRule(series, as, (String) rule.get("metricsQuery"), Map.copyOf(labelForResource));
	}

	/**
	 * The query for the pods {@code pods} of {@code namespace} (the HPA's Pods metric
	 * lists them).
	 */
	String renderForPods(String namespace, List<String> pods) {
		String podLabel = label("pod");
		String podMatcher = pods.size() == 1 ? podLabel + "=" + quote(pods.getFirst())
				: podLabel + "=~" + quote(String.join("|", pods));
		return render(label("namespace") + "=" + quote(namespace) + "," + podMatcher, podLabel);
	}

	/**
	 * The query for the Namespace object itself (root-scoped: only the resource matcher).
	 */
	String renderForNamespace(String namespace) {
		String nsLabel = label("namespace");
		return render(nsLabel + "=" + quote(namespace), nsLabel);
	}

	private String render(String labelMatchers, String groupBy) {
		String query = metricsQuery.replace("<<.Series>>", series)
			.replace("<<.LabelMatchers>>", labelMatchers)
			.replace("<<.GroupBy>>", groupBy);
		if (query.contains("<<")) {
			throw new IllegalStateException("template field not handled by the test: " + query);
		}
		return query;
	}

	private String label(String resource) {
		String label = labelForResource.get(resource);
		if (label == null) {
			throw new IllegalStateException(metricName + " does not map the resource " + resource);
		}
		return label;
	}

	Duration window() {
		Matcher m = WINDOW.matcher(metricsQuery);
		if (!m.find()) {
			throw new IllegalStateException("no rate window in " + metricsQuery);
		}
		long n = Long.parseLong(m.group(1));
		return switch (m.group(2)) {
			case "s" -> Duration.ofSeconds(n);
			case "m" -> Duration.ofMinutes(n);
			default -> Duration.ofHours(n);
		};
	}

	/**
	 * The same rule with another rate window (the live test scrapes every second, not
	 * every 15).
	 */
	AdapterRule withWindow(Duration window) {
		return new AdapterRule(series, metricName,
				WINDOW.matcher(metricsQuery).replaceAll("[" + window.toSeconds() + "s]"), labelForResource);
	}

	/** Go's %q for the plain label values used here. */
	private static String quote(String value) {
		return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}
}
