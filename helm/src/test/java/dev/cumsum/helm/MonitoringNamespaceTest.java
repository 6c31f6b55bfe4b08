package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumsum.helm.Chart.Manifest;
import dev.cumsum.helm.Chart.Rendered;
import dev.cumsum.helm.Chart.Tree;
import dev.cumsum.helm.NetworkPolicyTest.Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The monitoring stack's namespace is one value, metrics.namespace: the Prometheus KEDA
 * queries, the NetworkPolicy peer allowed to scrape and NOTES.txt all follow it. With it
 * hard-coded, a stack in another namespace was silently denied scraping by the
 * NetworkPolicies.
 */
class MonitoringNamespaceTest {

	private static final String OTHER = "observability";

	@Test
	void everyReferenceFollowsMetricsNamespace() {
		Map<String, String> sets = Map.of("metrics.namespace", OTHER, "cumsumApi.autoscaling.mode", "keda");
		Rendered rendered = Chart.render(null, sets);

		Manifest scaledObject = rendered.get("ScaledObject", "demo-cumsum-api");
		assertThat(Tree.string(Tree.list(scaledObject.body(), "spec.triggers").getFirst(), "metadata.serverAddress"))
			.isEqualTo("http://kube-prometheus-stack-prometheus." + OTHER + ".svc:9090");

		// Prometheus in the other namespace may scrape both management ports; in
		// `monitoring` it may not
		Map<String, Pod> pods = NetworkPolicyTest.chartPods(rendered);
		List<Manifest> policies = rendered.ofKind("NetworkPolicy");
		Map<String, String> prometheusLabels = Map.of("app.kubernetes.io/name", "prometheus");
		Pod moved = Pod.outsider(OTHER, prometheusLabels);
		Pod stale = Pod.outsider("monitoring", prometheusLabels);
		assertThat(NetworkPolicyTest.allowed(policies, moved, pods.get("demo-cumsum-api"), 8081)).isTrue();
		assertThat(NetworkPolicyTest.allowed(policies, moved, pods.get("demo-transaction-api"), 9091)).isTrue();
		assertThat(NetworkPolicyTest.allowed(policies, stale, pods.get("demo-cumsum-api"), 8081)).isFalse();

		// nothing rendered still names the default namespace
		assertThat(rendered.text()).doesNotContain(".monitoring.svc")
			.doesNotContain("metadata.name: monitoring")
			.doesNotContain("metadata.name: 'monitoring'");
	}

	@Test
	void defaultsPointAtMonitoring() {
		Rendered rendered = Chart.render(Chart.DIR.resolve("ci/keda-values.yaml"));
		Manifest scaledObject = rendered.get("ScaledObject", "demo-cumsum-api");
		assertThat(Tree.string(Tree.list(scaledObject.body(), "spec.triggers").getFirst(), "metadata.serverAddress"))
			.isEqualTo("http://kube-prometheus-stack-prometheus.monitoring.svc:9090");
		for (Manifest policy : rendered.ofKind("NetworkPolicy")) {
			if (policy.name().equals("demo-mongodb")) {
				continue;
			}
			assertThat(policy.text()).contains("kubernetes.io/metadata.name: 'monitoring'");
		}
	}

}
