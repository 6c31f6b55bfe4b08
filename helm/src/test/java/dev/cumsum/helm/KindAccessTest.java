package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumsum.helm.Chart.Manifest;
import dev.cumsum.helm.Chart.Rendered;
import dev.cumsum.helm.Chart.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The way into a kind cluster without port-forward: each host port of
 * platform/kind-config.yaml (the one place of those numbers) maps to a node port that the
 * owning Service really sets, and every copy of the resulting URL (kind-up.sh, the
 * chart's NOTES with the kind values, the Gatling default, the docs) names that host
 * port. No cluster: the files are read and the chart rendered.
 */
class KindAccessTest {

	private static final Path ROOT = Chart.REPO_ROOT;

	private static final Path KIND_VALUES = ROOT.resolve("platform/kind-app-values.yaml");

	@SuppressWarnings("unchecked")
	static Map<String, Object> yaml(String path) throws IOException {
		return (Map<String, Object>) Chart.parseYaml(Files.readString(ROOT.resolve(path)));
	}

	static Manifest platformObject(String file, String kind, String name) throws IOException {
		return Rendered.parse(Files.readString(ROOT.resolve(file))).get(kind, name);
	}

	/** The kind node's extraPortMappings (only the control-plane node has any). */
	static List<Map<String, Object>> mappings() throws IOException {
		List<Map<String, Object>> nodes = Tree.list(yaml("platform/kind-config.yaml"), "nodes");
		for (Map<String, Object> node : nodes) {
			if (!"control-plane".equals(node.get("role"))) {
				assertThat(node).as("mappings on a worker").doesNotContainKey("extraPortMappings");
			}
		}
		return nodes.stream()
			.filter(n -> "control-plane".equals(n.get("role")))
			.findFirst()
			.map(n -> Tree.list(n, "extraPortMappings"))
			.orElseThrow();
	}

	/** What each way in needs exposed -> the node port its own file sets. */
	static Map<String, Integer> nodePorts() throws IOException {
		Map<String, Integer> ports = new LinkedHashMap<>();
		Manifest proxy = platformObject("platform/envoy-proxy.yaml", "EnvoyProxy", "cumsum-proxy");
		List<Map<String, Object>> patched = Tree.list(proxy.body(),
				"spec.provider.kubernetes.envoyService.patch.value.spec.ports");
		assertThat(patched).hasSize(1);
		ports.put("api", (Integer) patched.getFirst().get("nodePort"));
		Map<String, Object> stack = yaml("platform/kube-prometheus-stack-values.yaml");
		for (String ui : List.of("grafana", "prometheus")) {
			assertThat(Tree.string(stack, ui + ".service.type")).as(ui).isEqualTo("NodePort");
			ports.put(ui, (Integer) Tree.get(stack, ui + ".service.nodePort"));
		}
		Manifest jaeger = Chart.render(KIND_VALUES).get("Service", "demo-jaeger");
		assertThat(Tree.string(jaeger.body(), "spec.type")).isEqualTo("NodePort");
		ports.put("jaeger",
				(Integer) Tree.list(jaeger.body(), "spec.ports")
					.stream()
					.filter(p -> "ui".equals(p.get("name")))
					.findFirst()
					.orElseThrow()
					.get("nodePort"));
		return ports;
	}

	/** way in -> http://localhost:<host port>, through platform/kind-config.yaml. */
	static Map<String, String> urls() throws IOException {
		Map<String, String> urls = new LinkedHashMap<>();
		List<Map<String, Object>> mappings = mappings();
		nodePorts().forEach((name, nodePort) -> {
			List<Map<String, Object>> mapped = mappings.stream()
				.filter(m -> nodePort.equals(m.get("containerPort")))
				.toList();
			assertThat(mapped).as("kind mapping of node port %s (%s)", nodePort, name).hasSize(1);
			urls.put(name, "http://localhost:" + mapped.getFirst().get("hostPort"));
		});
		return urls;
	}

	@Test
	void everyMappingPublishesANodePortThatAServiceSets() throws IOException {
		Map<String, Integer> nodePorts = nodePorts();
		List<Map<String, Object>> mappings = mappings();
		assertThat(mappings).extracting(m -> m.get("containerPort"))
			.containsExactlyInAnyOrderElementsOf(nodePorts.values());
		assertThat(nodePorts.values()).allSatisfy(p -> assertThat(p).isBetween(30000, 32767)); // the
																								// default
																								// NodePort
																								// range
		assertThat(new HashSet<>(mappings.stream().map(m -> m.get("hostPort")).toList())).hasSameSizeAs(mappings);
		// only this machine reaches the demo, not the local network
		assertThat(mappings).allSatisfy(m -> assertThat(m.get("listenAddress")).isEqualTo("127.0.0.1"));
		assertThat(urls()).containsEntry("api", "http://localhost:8080");
	}

	@Test
	void envoyServiceIsANodePortOnTheRoutesListenerThatReachesPodsOnOtherNodes() throws IOException {
		Manifest proxy = platformObject("platform/envoy-proxy.yaml", "EnvoyProxy", "cumsum-proxy");
		Map<String, Object> service = Tree.map(proxy.body(), "spec.provider.kubernetes.envoyService");
		assertThat(service.get("type")).isEqualTo("NodePort");
		// kind's mapping enters through the control-plane node; Envoy Gateway's default
		// policy Local drops it there
		assertThat(service.get("externalTrafficPolicy")).isEqualTo("Cluster");
		// the patch merges by Service port, which Envoy Gateway sets to the listener's
		// port
		Map<String, Object> route = Tree
			.list(Chart.render(KIND_VALUES).get("HTTPRoute", "demo-cumsum-api").body(), "spec.parentRefs")
			.getFirst();
		Manifest gateway = platformObject("platform/gateway.yaml", "Gateway", (String) route.get("name"));
		Map<String, Object> listener = Tree.list(gateway.body(), "spec.listeners")
			.stream()
			.filter(l -> l.get("name").equals(route.get("sectionName")))
			.findFirst()
			.orElseThrow();
		Object patchedPort = Tree.list(service, "patch.value.spec.ports").getFirst().get("port");
		assertThat(patchedPort).isEqualTo(listener.get("port"));
	}

	@Test
	void kindUpChecksAndPrintsTheMappedUrlsAndNoPortForward() throws IOException {
		String script = Files.readString(ROOT.resolve("scripts/kind-up.sh"));
		Map<String, String> urls = urls();
		for (Map.Entry<String, String> url : urls.entrySet()) {
			assertThat(script).contains(url.getKey().toUpperCase() + "_URL=" + url.getValue());
		}
		// no `kubectl port-forward`: it reaches one pod, so load through it never spreads
		// to new pods
		assertThat(script).doesNotContainPattern("kubectl[^\n]*port-forward").contains("\"${API_URL}/api\"");
	}

	@Test
	void notesWithTheKindValuesNameTheMappedUrlsAndNoPortForward() throws IOException {
		Map<String, String> urls = urls();
		assertThat(Tree.map(yaml("platform/kind-app-values.yaml"), "externalUrls")).isEqualTo(urls);
		String notes = NotesTest.notes(KIND_VALUES);
		assertThat(notes).doesNotContainPattern("kubectl[^\n]*port-forward")
			.contains("curl -s -H 'Content-Type: application/json' -d '{\"arr\":[1,2,3]}' " + urls.get("api") + "/api")
			.contains("-DbaseUrl=" + urls.get("api"))
			.contains("open " + urls.get("grafana"))
			.contains("open " + urls.get("prometheus"))
			.contains("open " + urls.get("jaeger"));
	}

	@Test
	void gatlingDefaultsToTheGateway() throws IOException {
		String simulation = Files
			.readString(ROOT.resolve("loadtest/src/main/java/dev/cumsum/loadtest/gatling/CumsumSimulation.java"));
		Matcher m = Pattern.compile("DEFAULT_BASE_URL = \"http://127\\.0\\.0\\.1:(\\d+)\"").matcher(simulation);
		assertThat(m.find()).as("DEFAULT_BASE_URL in CumsumSimulation").isTrue();
		assertThat("http://localhost:" + m.group(1)).isEqualTo(urls().get("api"));
	}

	@Test
	void kubernetesDocsWalkTheSameUrls() throws IOException {
		String docs = Files.readString(ROOT.resolve("docs/kubernetes.md"));
		for (String url : urls().values()) {
			assertThat(docs).contains(url);
		}
	}

}
