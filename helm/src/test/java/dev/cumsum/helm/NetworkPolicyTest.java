package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumsum.helm.Chart.Manifest;
import dev.cumsum.helm.Chart.Rendered;
import dev.cumsum.helm.Chart.Tree;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Evaluates the rendered NetworkPolicies the way the Kubernetes API defines them (ingress
 * only: a pod selected by any policy admits only what some rule allows) over the chart's
 * pods and a few outsiders, and checks that exactly the intended traffic gets through.
 */
class NetworkPolicyTest {

	record Pod(String namespace, Map<String, String> namespaceLabels, Map<String, String> labels,
			Map<String, Integer> ports) {
		static Pod outsider(String namespace, Map<String, String> labels) {
			return new Pod(namespace, Map.of("kubernetes.io/metadata.name", namespace), labels, Map.of());
		}
	}

	private static final Pod PROMETHEUS = Pod.outsider("monitoring",
			Map.of("app.kubernetes.io/name", "prometheus", "prometheus", "kube-prometheus-stack-prometheus"));

	private static final Pod OTHER_IN_MONITORING = Pod.outsider("monitoring",
			Map.of("app.kubernetes.io/name", "grafana"));

	private static final Pod NEIGHBOUR = Pod.outsider(Chart.NAMESPACE, Map.of("app", "something-else"));

	private static final Pod STRANGER = Pod.outsider("default", Map.of("app", "curl"));

	private static final Pod TRAEFIK = Pod.outsider("traefik", Map.of("app.kubernetes.io/name", "traefik"));

	@Test
	void defaultsAllowExactlyTheIntendedTraffic() {
		Rendered rendered = Chart.renderDefaults();
		Map<String, Pod> pods = chartPods(rendered);
		Pod api = pods.get("demo-cumsum-api");
		Pod tx = pods.get("demo-transaction-api");
		Pod mongo = pods.get("demo-mongodb");
		List<Manifest> policies = rendered.ofKind("NetworkPolicy");
		assertThat(policies).hasSize(3);

		// the API is public (ingress/gateway controllers live elsewhere); its management
		// port is not
		for (Pod anyone : List.of(STRANGER, NEIGHBOUR, PROMETHEUS, TRAEFIK)) {
			assertThat(allowed(policies, anyone, api, 8080)).isTrue();
		}
		assertThat(allowed(policies, PROMETHEUS, api, 8081)).isTrue();
		assertThat(allowed(policies, OTHER_IN_MONITORING, api, 8081)).isFalse();
		assertThat(allowed(policies, STRANGER, api, 8081)).isFalse();

		// only cumsum-api reaches transaction-api's gRPC port; only Prometheus its
		// management port
		assertThat(allowed(policies, api, tx, 9090)).isTrue();
		for (Pod other : List.of(NEIGHBOUR, STRANGER, PROMETHEUS, mongo)) {
			assertThat(allowed(policies, other, tx, 9090)).isFalse();
		}
		assertThat(allowed(policies, PROMETHEUS, tx, 9091)).isTrue();
		assertThat(allowed(policies, api, tx, 9091)).isFalse();

		// only transaction-api reaches MongoDB, and the replica set's members each other
		assertThat(allowed(policies, tx, mongo, 27017)).isTrue();
		assertThat(allowed(policies, mongo, mongo, 27017)).isTrue();
		for (Pod other : List.of(api, NEIGHBOUR, STRANGER, PROMETHEUS)) {
			assertThat(allowed(policies, other, mongo, 27017)).isFalse();
		}
	}

	@Test
	void restrictingTheApiKeepsTheHelmTestPodIn() {
		Rendered rendered = Chart.render(Chart.DIR.resolve("ci/ingress-values.yaml"));
		Map<String, Pod> pods = chartPods(rendered);
		Pod api = pods.get("demo-cumsum-api");
		Pod helmTest = new Pod(Chart.NAMESPACE, Map.of("kubernetes.io/metadata.name", Chart.NAMESPACE),
				Map.of("app.kubernetes.io/name", "cumsum-autoscale", "app.kubernetes.io/instance", Chart.RELEASE,
						"app.kubernetes.io/component", "helm-test"),
				Map.of());
		List<Manifest> policies = rendered.ofKind("NetworkPolicy");
		assertThat(allowed(policies, TRAEFIK, api, 8080)).isTrue();
		assertThat(allowed(policies, helmTest, api, 8080)).isTrue();
		assertThat(allowed(policies, STRANGER, api, 8080)).isFalse();
		assertThat(allowed(policies, NEIGHBOUR, api, 8080)).isFalse();
	}

	@Test
	void jaegerTakesSpansFromTheServicesOnly() {
		Rendered rendered = Chart.render(Chart.DIR.resolve("ci/tracing-values.yaml"));
		Map<String, Pod> pods = chartPods(rendered);
		List<Manifest> policies = rendered.ofKind("NetworkPolicy");
		Pod jaeger = pods.get("demo-jaeger");
		assertThat(allowed(policies, pods.get("demo-cumsum-api"), jaeger, 4318)).isTrue();
		assertThat(allowed(policies, pods.get("demo-transaction-api"), jaeger, 4317)).isTrue();
		assertThat(allowed(policies, STRANGER, jaeger, 4318)).isFalse();
		assertThat(allowed(policies, STRANGER, jaeger, 16686)).isTrue();
	}

	@Test
	void withoutPoliciesEverythingIsAllowed() {
		Rendered rendered = Chart.render(Chart.DIR.resolve("ci/minimal-values.yaml"));
		assertThat(rendered.ofKind("NetworkPolicy")).isEmpty();
		assertThat(allowed(List.of(), STRANGER, chartPods(rendered).get("demo-mongodb"), 27017)).isTrue();
	}

	@SuppressWarnings("unchecked")
	static Map<String, Pod> chartPods(Rendered rendered) {
		Map<String, Pod> pods = new HashMap<>();
		for (Manifest m : rendered.manifests()) {
			if (!Set.of("Deployment", "StatefulSet").contains(m.kind())) {
				continue;
			}
			Map<String, Integer> ports = new HashMap<>();
			for (Map<String, Object> c : Tree.list(m.body(), "spec.template.spec.containers")) {
				for (Map<String, Object> p : Tree.list(c, "ports")) {
					ports.put((String) p.get("name"), (Integer) p.get("containerPort"));
				}
			}
			Map<String, String> labels = (Map<String, String>) (Map<?, ?>) Tree.map(m.body(),
					"spec.template.metadata.labels");
			pods.put(m.name(),
					new Pod(Chart.NAMESPACE, Map.of("kubernetes.io/metadata.name", Chart.NAMESPACE), labels, ports));
		}
		return pods;
	}

	static boolean allowed(List<Manifest> policies, Pod from, Pod to, int port) {
		List<Manifest> selecting = policies.stream()
			.filter(p -> Chart.NAMESPACE.equals(to.namespace()))
			.filter(p -> matches(Tree.map(p.body(), "spec.podSelector"), to.labels()))
			.filter(p -> ((List<?>) Tree.get(p.body(), "spec.policyTypes")).contains("Ingress"))
			.toList();
		if (selecting.isEmpty()) {
			return true;
		}
		for (Manifest policy : selecting) {
			for (Map<String, Object> rule : Tree.list(policy.body(), "spec.ingress")) {
				if (portMatches(Tree.list(rule, "ports"), to, port) && peerMatches(rule.get("from"), from)) {
					return true;
				}
			}
		}
		return false;
	}

	private static boolean portMatches(List<Map<String, Object>> ports, Pod to, int port) {
		if (ports.isEmpty()) {
			return true;
		}
		return ports.stream().anyMatch(p -> {
			Object value = p.get("port");
			return value instanceof Integer number ? number == port
					: Integer.valueOf(port).equals(to.ports().get((String) value));
		});
	}

	@SuppressWarnings("unchecked")
	private static boolean peerMatches(Object from, Pod source) {
		if (from == null) {
			return true;
		}
		for (Map<String, Object> peer : (List<Map<String, Object>>) from) {
			Map<String, Object> pods = (Map<String, Object>) peer.get("podSelector");
			Map<String, Object> namespaces = (Map<String, Object>) peer.get("namespaceSelector");
			boolean namespaceOk = namespaces == null ? Chart.NAMESPACE.equals(source.namespace())
					: matches(namespaces, source.namespaceLabels());
			boolean podOk = pods == null || matches(pods, source.labels());
			if (namespaceOk && podOk) {
				return true;
			}
		}
		return false;
	}

	@SuppressWarnings("unchecked")
	private static boolean matches(Map<String, Object> selector, Map<String, String> labels) {
		Map<String, Object> matchLabels = (Map<String, Object>) selector.getOrDefault("matchLabels", Map.of());
		for (Map.Entry<String, Object> e : matchLabels.entrySet()) {
			if (!String.valueOf(e.getValue()).equals(labels.get(e.getKey()))) {
				return false;
			}
		}
		for (Map<String, Object> expr : (List<Map<String, Object>>) selector.getOrDefault("matchExpressions",
				List.of())) {
			String value = labels.get((String) expr.get("key"));
			List<String> values = (List<String>) expr.getOrDefault("values", List.of());
			boolean ok = switch ((String) expr.get("operator")) {
				case "In" -> values.contains(value);
				case "NotIn" -> !values.contains(value);
				case "Exists" -> value != null;
				case "DoesNotExist" -> value == null;
				default -> throw new AssertionError("operator " + expr.get("operator"));
			};
			if (!ok) {
				return false;
			}
		}
		return true;
	}

}
