package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumsum.helm.Chart.Manifest;
import dev.cumsum.helm.Chart.Rendered;
import dev.cumsum.helm.Chart.Tree;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The chart's in-cluster load Job (templates/loadtest-job.yaml): its target resolves to
 * an object that exists for the same release (the chart's own Service, or the Envoy
 * Service of the Gateway the chart's HTTPRoute attaches to), its image is the one the
 * build makes and kind-up.sh loads.
 */
class LoadtestJobTest {

	private static final Path ROOT = Chart.REPO_ROOT;

	private static final Path KIND_VALUES = ROOT.resolve("platform/kind-app-values.yaml");

	static Manifest job(Rendered rendered) {
		return rendered.get("Job", "demo-loadtest");
	}

	static Map<String, String> env(Manifest job) {
		Map<String, String> env = new LinkedHashMap<>();
		for (Map<String, Object> var : Tree.list(Tree.list(job.body(), "spec.template.spec.containers").getFirst(),
				"env")) {
			env.put((String) var.get("name"), (String) var.get("value"));
		}
		return env;
	}

	@Test
	void offByDefault() {
		assertThat(Chart.renderDefaults().ofKind("Job")).isEmpty();
		assertThat(Chart.render(KIND_VALUES).ofKind("Job")).isEmpty();
	}

	@Test
	void onKindTheLoadGoesThroughTheGatewayTheRouteAttachesTo() throws IOException {
		Rendered rendered = Chart.render(KIND_VALUES, Map.of("loadtest.enabled", "true"));
		URI target = URI.create(env(job(rendered)).get("LOADTEST_BASE_URL"));
		// <service>.<namespace>.svc.<cluster domain>, port 80 implied
		String[] host = target.getHost().split("\\.", 4);
		assertThat(host[2]).isEqualTo("svc");
		assertThat(host[3]).isEqualTo("cluster.local");
		int port = target.getPort() == -1 ? 80 : target.getPort();

		// that Service is the one Envoy Gateway creates for the EnvoyProxy of the route's
		// Gateway's class
		Map<String, Object> parent = Tree.list(rendered.get("HTTPRoute", "demo-cumsum-api").body(), "spec.parentRefs")
			.getFirst();
		Rendered gatewayFile = Rendered.parse(Files.readString(ROOT.resolve("platform/gateway.yaml")));
		Manifest gateway = gatewayFile.get("Gateway", (String) parent.get("name"));
		assertThat(Tree.string(gateway.body(), "metadata.namespace")).isEqualTo(parent.get("namespace"));
		Manifest gatewayClass = gatewayFile.get("GatewayClass", Tree.string(gateway.body(), "spec.gatewayClassName"));
		Map<String, Object> ref = Tree.map(gatewayClass.body(), "spec.parametersRef");
		Manifest proxy = Rendered.parse(Files.readString(ROOT.resolve("platform/envoy-proxy.yaml")))
			.get((String) ref.get("kind"), (String) ref.get("name"));
		assertThat(Tree.string(proxy.body(), "metadata.namespace")).isEqualTo(ref.get("namespace"));
		assertThat(host[0]).isEqualTo(Tree.string(proxy.body(), "spec.provider.kubernetes.envoyService.name"));
		// Envoy Gateway puts the proxy Service in its own namespace, the Gateway's here
		assertThat(host[1]).isEqualTo(Tree.string(proxy.body(), "metadata.namespace"))
			.isEqualTo(Tree.string(gateway.body(), "metadata.namespace"));
		// the Service port is the listener's port, the listener the route attaches to
		Map<String, Object> listener = Tree.list(gateway.body(), "spec.listeners")
			.stream()
			.filter(l -> l.get("name").equals(parent.get("sectionName")))
			.findFirst()
			.orElseThrow();
		assertThat(port).isEqualTo(listener.get("port"));
	}

	@Test
	void targetServiceIsTheReleasesOwnCumsumApiService() {
		for (String prefix : List.of("demo", "other")) {
			Rendered rendered = Chart.render(null,
					Map.of("loadtest.enabled", "true", "loadtest.target", "service", "fullnameOverride", prefix));
			Manifest job = rendered.get("Job", prefix + "-loadtest");
			URI target = URI.create(env(job).get("LOADTEST_BASE_URL"));
			String[] host = target.getHost().split("\\.", 3);
			assertThat(host[1]).isEqualTo(Chart.NAMESPACE);
			Manifest service = rendered.get("Service", host[0]);
			assertThat(Tree.list(service.body(), "spec.ports")).extracting(p -> p.get("port"))
				.contains(target.getPort());
			assertThat(host[0]).isEqualTo(prefix + "-cumsum-api");
		}
	}

	@Test
	void gatewayTargetWithoutARouteFailsWithAClearMessage() {
		assertThatThrownBy(() -> Chart.render(null, Map.of("loadtest.enabled", "true")))
			.hasMessageContaining("loadtest.target=gateway needs httpRoute.enabled=true");
	}

	@Test
	void schemaRejectsParamsThatWouldOverrideTheTargetAndUnknownTargets() {
		assertThatThrownBy(() -> Chart.render(KIND_VALUES,
				Map.of("loadtest.enabled", "true", "loadtest.params.baseUrl", "http://elsewhere")))
			.hasMessageContaining("invalid propertyName 'baseUrl'");
		assertThatThrownBy(
				() -> Chart.render(KIND_VALUES, Map.of("loadtest.enabled", "true", "loadtest.target", "pod")))
			.hasMessageContaining("/loadtest/target");
	}

	@Test
	void paramsBecomeTheSimulationsVariables() {
		Manifest job = job(Chart.render(KIND_VALUES, Map.of("loadtest.enabled", "true", "loadtest.profile", "spike",
				"loadtest.params.peakRate", "500", "loadtest.params.spikeDuration", "90s")));
		Map<String, String> env = env(job);
		assertThat(env).containsEntry("LOADTEST_PROFILE", "spike").containsEntry("LOADTEST_MAX_ERROR_PERCENT", "1");
		// the simulation's rule (loadtest Params.envName): camelCase split on capitals,
		// upper case
		for (String key : List.of("peakRate", "spikeDuration")) {
			assertThat(env)
				.containsKey("LOADTEST_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT));
		}
		assertThat(env).containsEntry("LOADTEST_PEAK_RATE", "500").containsEntry("LOADTEST_SPIKE_DURATION", "90s");
	}

	@Test
	void imageIsWhatTheBuildMakesAndKindUpLoads() throws IOException {
		Manifest job = job(Chart.render(KIND_VALUES, Map.of("loadtest.enabled", "true")));
		String appVersion = Files.readAllLines(Chart.DIR.resolve("Chart.yaml"))
			.stream()
			.filter(l -> l.startsWith("appVersion:"))
			.map(l -> l.substring("appVersion:".length()).trim().replace("\"", ""))
			.findFirst()
			.orElseThrow();
		Map<String, Object> container = Tree.list(job.body(), "spec.template.spec.containers").getFirst();
		assertThat(container.get("image")).isEqualTo("cumsum-autoscale/loadtest:" + appVersion);
		// the root pom names every Jib image cumsum-autoscale/<artifactId>:<image.tag>;
		// the module is "loadtest"
		assertThat(Files.readString(ROOT.resolve("pom.xml")))
			.contains("<image>cumsum-autoscale/${project.artifactId}:${image.tag}</image>");
		assertThat(Files.readString(ROOT.resolve("loadtest/pom.xml"))).contains("<artifactId>loadtest</artifactId>")
			.contains("<artifactId>jib-maven-plugin</artifactId>");
		assertThat(Files.readString(ROOT.resolve("images/build-images.sh")))
			.containsPattern("-pl [a-z,-]*\\bloadtest\\b.*jib:dockerBuild");
		assertThat(Files.readString(ROOT.resolve("scripts/kind-up.sh")))
			.contains("\"cumsum-autoscale/loadtest:${TAG}\"");
	}

	@Test
	void runIsBoundedAndThePodRestricted() {
		Manifest job = job(Chart.render(KIND_VALUES, Map.of("loadtest.enabled", "true")));
		assertThat(Tree.get(job.body(), "spec.backoffLimit")).isEqualTo(0);
		assertThat((Integer) Tree.get(job.body(), "spec.activeDeadlineSeconds")).isPositive();
		Map<String, Object> pod = Tree.map(job.body(), "spec.template.spec");
		assertThat(pod.get("restartPolicy")).isEqualTo("Never");
		assertThat(Tree.get(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
		assertThat(Tree.string(pod, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
		Map<String, Object> container = Tree.list(pod, "containers").getFirst();
		assertThat(Tree.get(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
		assertThat(Tree.get(container, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
		assertThat(Tree.list(container, "volumeMounts")).extracting(v -> v.get("mountPath")).contains("/tmp");
	}

}
