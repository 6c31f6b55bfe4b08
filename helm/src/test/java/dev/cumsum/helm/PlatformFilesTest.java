package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumsum.helm.Chart.Manifest;
import dev.cumsum.helm.Chart.Rendered;
import dev.cumsum.helm.Chart.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * helmfile.yaml and platform/ agree with the chart (no cluster: the files are read, the
 * chart rendered).
 */
class PlatformFilesTest {

	private static final Path ROOT = Chart.REPO_ROOT;

	@SuppressWarnings("unchecked")
	private static Map<String, Object> yaml(String path) throws IOException {
		return (Map<String, Object>) Chart.parseYaml(Files.readString(ROOT.resolve(path)));
	}

	@Test
	void helmfilePinsEveryRemoteChartAndItsValuesFilesExist() throws IOException {
		List<Map<String, Object>> releases = Tree.list(yaml("helmfile.yaml"), "releases");
		assertThat(releases).extracting(r -> r.get("name"))
			.contains("kube-prometheus-stack", "prometheus-adapter", "keda", "envoy-gateway", "demo");
		for (Map<String, Object> release : releases) {
			String chart = (String) release.get("chart");
			if (chart.startsWith("./")) {
				assertThat(ROOT.resolve(chart).resolve("Chart.yaml")).exists();
			}
			else {
				assertThat(String.valueOf(release.get("version"))).as(chart).matches("v?\\d+\\.\\d+\\.\\d+");
			}
			for (Object values : (List<Object>) release.getOrDefault("values", List.of())) {
				assertThat(ROOT.resolve((String) values)).as("values of %s", release.get("name")).exists();
			}
		}
	}

	@Test
	void kindOverridesRenderAndTheRouteAttachesToThePlatformGateway() throws IOException {
		Rendered rendered = Chart.render(ROOT.resolve("platform/kind-app-values.yaml"));
		Map<String, Object> parent = Tree.list(rendered.get("HTTPRoute", "demo-cumsum-api").body(), "spec.parentRefs")
			.getFirst();
		Manifest gateway = Rendered.parse(Files.readString(ROOT.resolve("platform/gateway.yaml")))
			.get("Gateway", "cumsum-gateway");
		assertThat(parent.get("name")).isEqualTo(gateway.name());
		assertThat(parent.get("namespace")).isEqualTo(Tree.string(gateway.body(), "metadata.namespace"));
		Map<String, Object> listener = Tree.list(gateway.body(), "spec.listeners")
			.stream()
			.filter(l -> l.get("name").equals(parent.get("sectionName")))
			.findFirst()
			.orElseThrow();
		assertThat(Tree.string(listener, "allowedRoutes.namespaces.from")).isEqualTo("All");
	}

	@Test
	void monitoringStackSelectsWhatTheChartLabels() throws IOException {
		Map<String, Object> stack = yaml("platform/kube-prometheus-stack-values.yaml");
		Map<String, Object> chart = yaml("helm/cumsum-autoscale/values.yaml");
		assertThat(Tree.string(stack, "grafana.sidecar.dashboards.label"))
			.isEqualTo(Tree.string(chart, "metrics.dashboards.label"));
		assertThat(Tree.string(stack, "grafana.sidecar.dashboards.labelValue"))
			.isEqualTo(Tree.string(chart, "metrics.dashboards.labelValue"));
		// kube-prometheus-stack selects ServiceMonitors and rules by `release: <its
		// release name>`
		assertThat(Tree.map(chart, "metrics.serviceMonitor.labels")).containsEntry("release", "kube-prometheus-stack");
		assertThat(Tree.map(chart, "metrics.prometheusRule.labels")).containsEntry("release", "kube-prometheus-stack");
		// KEDA and the adapter query the same Prometheus
		Map<String, Object> adapter = yaml("platform/prometheus-adapter-values.yaml");
		String adapterUrl = Tree.string(adapter, "prometheus.url") + ":" + Tree.string(adapter, "prometheus.port");
		Manifest scaledObject = Chart.render(Chart.DIR.resolve("ci/keda-values.yaml"))
			.get("ScaledObject", "demo-cumsum-api");
		assertThat(Tree.string(Tree.list(scaledObject.body(), "spec.triggers").getFirst(), "metadata.serverAddress"))
			.isEqualTo(adapterUrl);
		// the chart's monitoring namespace is where helmfile.yaml installs the stack and
		// the adapter
		for (Map<String, Object> release : Tree.list(yaml("helmfile.yaml"), "releases")) {
			if (List.of("kube-prometheus-stack", "prometheus-adapter").contains(release.get("name"))) {
				assertThat(release.get("namespace")).as("%s", release.get("name"))
					.isEqualTo(Tree.string(chart, "metrics.namespace"));
			}
		}
		assertThat(Tree.string(stack, "prometheus.prometheusSpec.scrapeInterval"))
			.isEqualTo(Tree.string(chart, "metrics.serviceMonitor.interval"));
	}

	@Test
	void gatewayClassTakesTheEnvoyProxyAndPlatformObjectsHaveOnlyKnownFields() throws IOException {
		Rendered gateway = Rendered.parse(Files.readString(ROOT.resolve("platform/gateway.yaml")));
		Rendered proxy = Rendered.parse(Files.readString(ROOT.resolve("platform/envoy-proxy.yaml")));
		for (Manifest m : gateway.manifests()) {
			CustomResourceFields.check(m);
		}
		for (Manifest m : proxy.manifests()) {
			CustomResourceFields.check(m);
		}
		Map<String, Object> ref = Tree.map(gateway.get("GatewayClass", "envoy-gateway").body(), "spec.parametersRef");
		assertThat(ref.get("group")).isEqualTo("gateway.envoyproxy.io");
		Manifest envoyProxy = proxy.get((String) ref.get("kind"), (String) ref.get("name"));
		assertThat(Tree.string(envoyProxy.body(), "metadata.namespace")).isEqualTo(ref.get("namespace"));
		assertThat(Tree.string(envoyProxy.body(), "spec.provider.type")).isEqualTo("Kubernetes");
		assertThat(Tree.string(gateway.get("Gateway", "cumsum-gateway").body(), "spec.gatewayClassName"))
			.isEqualTo("envoy-gateway");
	}

	@Test
	void kindScriptUsesTheSameReleaseAndFiles() throws IOException {
		String script = Files.readString(ROOT.resolve("scripts/kind-up.sh"));
		assertThat(script).contains("RELEASE=" + Chart.RELEASE)
			.contains("NAMESPACE=" + Chart.NAMESPACE)
			.contains("platform/kind-config.yaml")
			.contains("platform/envoy-proxy.yaml")
			.contains("platform/gateway.yaml")
			.contains("platform/kind-app-values.yaml")
			.contains("helm test");
		assertThat(ROOT.resolve("platform/kind-config.yaml")).exists();
	}

}
