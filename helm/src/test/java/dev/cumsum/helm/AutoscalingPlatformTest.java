package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumsum.helm.Chart.Manifest;
import dev.cumsum.helm.Chart.Rendered;
import dev.cumsum.helm.Chart.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every metric an autoscaler of the chart reads is one the platform serves: an HPA with
 * one unreadable metric skips every scale-down, and KEDA cannot wake a Deployment at zero
 * pods on a counter that only its pods export. The platform is what helmfile.yaml and
 * platform/ install.
 */
class AutoscalingPlatformTest {

	@SuppressWarnings("unchecked")
	private static Map<String, Object> yaml(String path) throws IOException {
		return (Map<String, Object>) Chart.parseYaml(Files.readString(Chart.REPO_ROOT.resolve(path)));
	}

	/** The helmfile release that serves metrics.k8s.io, or null. */
	private static Map<String, Object> metricsServerRelease() throws IOException {
		return Tree.list(yaml("helmfile.yaml"), "releases")
			.stream()
			.filter(r -> "metrics-server/metrics-server".equals(r.get("chart")))
			.findFirst()
			.orElse(null);
	}

	static Stream<Arguments> modes() {
		List<Arguments> modes = new ArrayList<>();
		modes.add(Arguments.of("defaults", null));
		for (Path file : Chart.ciValuesFiles()) {
			modes.add(Arguments.of(file.getFileName().toString(), file));
		}
		modes.add(Arguments.of("kind-app-values.yaml", Chart.REPO_ROOT.resolve("platform/kind-app-values.yaml")));
		return modes.stream();
	}

	@Test
	void theChartsPlatformValuesAreWhatThePlatformInstalls() throws IOException {
		Map<String, Object> values = yaml("helm/cumsum-autoscale/values.yaml");
		// the custom metrics: exactly the `as` names of the adapter rules
		assertThat(Tree.get(values, "platform.customMetrics"))
			.asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
			.containsExactlyInAnyOrderElementsOf(ChartConsistencyTest.adapterMetrics().keySet());
		// metrics.k8s.io: the metrics-server release, pinned, by reference to its
		// upstream chart
		assertThat(Tree.get(values, "platform.resourceMetrics")).isEqualTo(true);
		Map<String, Object> release = metricsServerRelease();
		assertThat(release).as("metrics-server release in helmfile.yaml").isNotNull();
		assertThat(Tree.list(yaml("helmfile.yaml"), "repositories")).anySatisfy(repo -> {
			assertThat(repo.get("name")).isEqualTo("metrics-server");
			assertThat(repo.get("url")).isEqualTo("https://kubernetes-sigs.github.io/metrics-server/");
		});
		assertThat(String.valueOf(release.get("version"))).matches("\\d+\\.\\d+\\.\\d+");
		assertThat(release.get("values")).isEqualTo(List.of("platform/metrics-server-values.yaml"));
		// kind's and kubeadm's kubelets serve self-signed certificates: without this no
		// node is scraped
		assertThat(Tree.get(yaml("platform/metrics-server-values.yaml"), "args"))
			.isEqualTo(List.of("--kubelet-insecure-tls"));
		// the application release waits for it
		Map<String, Object> app = Tree.list(yaml("helmfile.yaml"), "releases")
			.stream()
			.filter(r -> "demo".equals(r.get("name")))
			.findFirst()
			.orElseThrow();
		assertThat(app.get("needs")).asString().contains(release.get("namespace") + "/" + release.get("name"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("modes")
	void everyAutoscalerReadsOnlyMetricsThePlatformServes(String mode, Path values) throws IOException {
		Map<String, String> adapter = ChartConsistencyTest.adapterMetrics();
		boolean metricsServer = metricsServerRelease() != null;
		Rendered rendered = Chart.render(values);
		for (Manifest hpa : rendered.ofKind("HorizontalPodAutoscaler")) {
			assertThat((Integer) Tree.get(hpa.body(), "spec.minReplicas")).as(hpa.name()).isGreaterThanOrEqualTo(1);
			for (Map<String, Object> metric : Tree.list(hpa.body(), "spec.metrics")) {
				switch ((String) metric.get("type")) {
					case "Pods" ->
						assertThat(adapter).as("adapter rules").containsKey(Tree.string(metric, "pods.metric.name"));
					case "Resource" ->
						assertThat(metricsServer).as("%s needs metrics-server for %s", hpa.name(), metric).isTrue();
					default -> throw new AssertionError(hpa.name() + ": no platform component serves " + metric);
				}
			}
		}
		for (Manifest so : rendered.ofKind("ScaledObject")) {
			// no trigger here counts requests while no pod runs (the counters live in the
			// pods)
			assertThat((Integer) Tree.get(so.body(), "spec.minReplicaCount")).as(so.name()).isGreaterThanOrEqualTo(1);
			for (Map<String, Object> trigger : Tree.list(so.body(), "spec.triggers")) {
				switch ((String) trigger.get("type")) {
					case "prometheus" -> assertThat(Tree.string(trigger, "metadata.query"))
						.containsAnyOf(adapter.values().stream().map(counter -> counter + "{").toArray(String[]::new));
					case "cpu", "memory" ->
						assertThat(metricsServer).as("%s needs metrics-server for %s", so.name(), trigger).isTrue();
					case "cron" -> {
					}
					default -> throw new AssertionError(so.name() + ": unexpected trigger " + trigger);
				}
			}
		}
	}

	@Test
	void cpuWithoutMetricsServerIsRefused() {
		Map<String, String> sets = Map.of("cumsumApi.autoscaling.cpu.enabled", "true", "platform.resourceMetrics",
				"false");
		assertThatThrownBy(() -> Chart.render(null, sets)).hasMessageContaining("schema")
			.hasMessageContaining("resourceMetrics");
		assertThatThrownBy(() -> Chart.renderWithoutSchema(sets))
			.hasMessageContaining("cumsumApi.autoscaling.cpu needs metrics.k8s.io")
			.hasMessageContaining("never scales down");
		// KEDA's cpu trigger is an HPA Resource metric as well
		Map<String, String> keda = Map.of("transactionApi.autoscaling.mode", "keda",
				"transactionApi.autoscaling.cpu.enabled", "true", "platform.resourceMetrics", "false");
		assertThatThrownBy(() -> Chart.renderWithoutSchema(keda))
			.hasMessageContaining("transactionApi.autoscaling.cpu needs metrics.k8s.io");
	}

	@Test
	void hpaModeWithoutTheAdaptersMetricIsRefused() {
		Map<String, String> sets = Map.of("platform.customMetrics[0]", "transaction_records_per_second");
		assertThatThrownBy(() -> Chart.render(null, sets)).hasMessageContaining("schema")
			.hasMessageContaining("customMetrics");
		assertThatThrownBy(() -> Chart.renderWithoutSchema(sets))
			.hasMessageContaining("cumsumApi.autoscaling.mode=hpa needs the custom metric cumsum_requests_per_second");
		// keda mode queries Prometheus itself: no adapter metric needed
		Rendered keda = Chart.render(null, Map.of("platform.customMetrics[0]", "transaction_records_per_second",
				"cumsumApi.autoscaling.mode", "keda"));
		assertThat(keda.has("ScaledObject", "demo-cumsum-api")).isTrue();
	}

	@Test
	void scaleToZeroIsRefusedInBothModes() {
		for (String mode : List.of("hpa", "keda")) {
			Map<String, String> sets = Map.of("cumsumApi.autoscaling.mode", mode, "cumsumApi.autoscaling.minReplicas",
					"0");
			assertThatThrownBy(() -> Chart.render(null, sets)).as(mode)
				.hasMessageContaining("schema")
				.hasMessageContaining("minReplicas");
			assertThatThrownBy(() -> Chart.renderWithoutSchema(sets)).as(mode)
				.hasMessageContaining("cumsumApi.autoscaling.minReplicas must be >= 1")
				.hasMessageContaining("no trigger (HPA or KEDA) could see a request");
		}
	}

	@Test
	void withoutAutoscalingNoPlatformIsNeeded() {
		Rendered rendered = Chart.render(Chart.DIR.resolve("ci/minimal-values.yaml"));
		assertThat(rendered.ofKind("HorizontalPodAutoscaler")).isEmpty();
		assertThat(rendered.ofKind("ScaledObject")).isEmpty();
	}

}
