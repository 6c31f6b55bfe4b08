package dev.cumsum.observability;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.Yaml;

import com.marcnuri.helm.Helm;

/**
 * The Prometheus query of each ScaledObject the chart renders in KEDA mode
 * (ci/keda-values.yaml), with the name of the Service its ServiceMonitor scrapes (that
 * Service name is the `service` label Prometheus attaches).
 */
record KedaQuery(String component, String query, String metricsService) {

	static final String RELEASE = "demo";
	static final String NAMESPACE = "demo-ns";

	@SuppressWarnings("unchecked")
	static Map<String, KedaQuery> render() {
		Path chart = Tools.repoRoot().resolve("helm/cumsum-autoscale");
		String rendered = new Helm(chart).template()
			.withName(RELEASE)
			.withNamespace(NAMESPACE)
			.withKubeVersion("v1.34.0")
			.withValuesFile(chart.resolve("ci/keda-values.yaml"))
			// existing Secrets: the generated ones would call lookup, which needs an API
			// server
			.set("mongodb.auth.existingSecret", "mongodb-auth")
			.set("history.auth.existingSecret", "history-token")
			.call();
		Map<String, String> services = new HashMap<>();
		Map<String, String> queries = new HashMap<>();
		for (Object doc : new Yaml().loadAll(rendered)) {
			if (!(doc instanceof Map<?, ?> map)) {
				continue;
			}
			Map<String, Object> metadata = (Map<String, Object>) map.get("metadata");
			Map<String, Object> labels = (Map<String, Object>) metadata.getOrDefault("labels", Map.of());
			String component = String.valueOf(labels.get("app.kubernetes.io/component"));
			if ("Service".equals(map.get("kind")) && "true".equals(String.valueOf(labels.get("cumsum.dev/metrics")))) {
				services.put(component, (String) metadata.get("name"));
			}
			if ("ScaledObject".equals(map.get("kind"))) {
				Map<String, Object> spec = (Map<String, Object>) map.get("spec");
				for (Map<String, Object> trigger : (List<Map<String, Object>>) spec.get("triggers")) {
					if ("prometheus".equals(trigger.get("type"))) {
						queries.put(component, (String) ((Map<String, Object>) trigger.get("metadata")).get("query"));
					}
				}
			}
		}
		Map<String, KedaQuery> result = new HashMap<>();
		queries.forEach(
				(component, query) -> result.put(component, new KedaQuery(component, query, services.get(component))));
		return result;
	}

	/** The query with the labels a local Prometheus attaches and another rate window. */
	String localized(String namespace, String service, String shippedWindow, String window) {
		return query.replace("namespace=\"" + NAMESPACE + "\"", "namespace=\"" + namespace + "\"")
			.replace("service=\"" + metricsService + "\"", "service=\"" + service + "\"")
			.replace("[" + shippedWindow + "]", "[" + window + "]");
	}
}
