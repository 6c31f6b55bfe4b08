package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumsum.helm.Chart.Manifest;
import dev.cumsum.helm.Chart.Rendered;
import dev.cumsum.helm.Chart.Tree;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Cross-object facts: what one rendered object names, another one must provide. */
class ChartConsistencyTest {

	private static final Path ADAPTER_VALUES = Chart.REPO_ROOT.resolve("platform/prometheus-adapter-values.yaml");

	/**
	 * Endpoints the services serve on their management ports (docs/metrics.md, actuator
	 * groups).
	 */
	private static final Set<String> MANAGEMENT_PATHS = Set.of("/actuator/health/liveness",
			"/actuator/health/readiness", "/actuator/prometheus");

	/** metric name the adapter publishes -> counter its seriesQuery reads. */
	@SuppressWarnings("unchecked")
	static Map<String, String> adapterMetrics() throws IOException {
		Map<String, Object> values = (Map<String, Object>) Chart.parseYaml(Files.readString(ADAPTER_VALUES));
		Map<String, String> metrics = new HashMap<>();
		for (Map<String, Object> rule : Tree.list(values, "rules.custom")) {
			Matcher series = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)").matcher((String) rule.get("seriesQuery"));
			assertThat(series.find()).as("seriesQuery %s", rule.get("seriesQuery")).isTrue();
			String as = Tree.string(rule, "name.as");
			metrics.put(as == null ? series.group(1) : as, series.group(1));
		}
		return metrics;
	}

	@Test
	void hpaTargetsItsDeploymentOnAMetricTheAdapterProduces() throws IOException {
		Map<String, String> adapter = adapterMetrics();
		Rendered rendered = Chart.render(Chart.DIR.resolve("ci/hpa-values.yaml"));
		Map<String, String> expected = Map.of("demo-cumsum-api", "cumsum_requests_per_second", "demo-transaction-api",
				"transaction_records_per_second");
		assertThat(rendered.ofKind("HorizontalPodAutoscaler")).extracting(Manifest::name)
			.containsExactlyInAnyOrderElementsOf(expected.keySet());
		for (Manifest hpa : rendered.ofKind("HorizontalPodAutoscaler")) {
			assertThat(Tree.string(hpa.body(), "spec.scaleTargetRef.kind")).isEqualTo("Deployment");
			String target = Tree.string(hpa.body(), "spec.scaleTargetRef.name");
			assertThat(rendered.has("Deployment", target)).isTrue();
			assertThat(target).isEqualTo(hpa.name());
			Map<String, Object> pods = Tree.list(hpa.body(), "spec.metrics")
				.stream()
				.filter(m -> "Pods".equals(m.get("type")))
				.findFirst()
				.orElseThrow();
			String metric = Tree.string(pods, "pods.metric.name");
			assertThat(metric).isEqualTo(expected.get(hpa.name()));
			assertThat(adapter).as("metrics the adapter rules produce").containsKey(metric);
			assertThat(Tree.string(pods, "pods.target.type")).isEqualTo("AverageValue");
			// the replicas belong to the autoscaler, not to the Deployment
			assertThat(Tree.get(rendered.get("Deployment", target).body(), "spec.replicas")).isNull();
		}
		assertThat(Tree.list(rendered.get("HorizontalPodAutoscaler", "demo-cumsum-api").body(), "spec.metrics"))
			.extracting(m -> m.get("type"))
			.containsExactly("Pods", "Resource");
	}

	@Test
	void kedaModeQueriesTheSameCounterAndNeverAddsAnHpa() throws IOException {
		Map<String, String> adapter = adapterMetrics();
		Rendered rendered = Chart.render(Chart.DIR.resolve("ci/keda-values.yaml"));
		assertThat(rendered.ofKind("HorizontalPodAutoscaler")).isEmpty();
		Map<String, String> metricOf = Map.of("demo-cumsum-api", "cumsum_requests_per_second", "demo-transaction-api",
				"transaction_records_per_second");
		for (Manifest so : rendered.ofKind("ScaledObject")) {
			assertThat(rendered.has("Deployment", Tree.string(so.body(), "spec.scaleTargetRef.name"))).isTrue();
			Map<String, Object> prometheus = Tree.list(so.body(), "spec.triggers")
				.stream()
				.filter(t -> "prometheus".equals(t.get("type")))
				.findFirst()
				.orElseThrow();
			String query = Tree.string(prometheus, "metadata.query");
			assertThat(query).contains(adapter.get(metricOf.get(so.name())) + "{")
				.contains("namespace=\"" + Chart.NAMESPACE + "\"")
				.contains("service=\"" + so.name() + "\"");
			// the ServiceMonitor's Service is the one the query's `service` label names
			assertThat(rendered.has("ServiceMonitor", so.name()) && rendered.has("Service", so.name())).isTrue();
		}
		assertThat(Tree.list(rendered.get("ScaledObject", "demo-cumsum-api").body(), "spec.triggers"))
			.extracting(t -> t.get("type"))
			.containsExactly("prometheus", "cron");
		assertThat(Tree.list(rendered.get("ScaledObject", "demo-transaction-api").body(), "spec.triggers"))
			.extracting(t -> t.get("type"))
			.containsExactly("prometheus", "cpu");
	}

	@Test
	void servicePortsMatchContainerPortsAndServiceMonitors() {
		for (Rendered rendered : List.of(Chart.renderDefaults(),
				Chart.render(Chart.DIR.resolve("ci/tracing-values.yaml")))) {
			for (Manifest service : rendered.ofKind("Service")) {
				List<Map<String, Object>> pods = podsSelectedBy(rendered, Tree.map(service.body(), "spec.selector"));
				assertThat(pods).as("pods behind Service %s", service.name()).hasSize(1);
				Map<String, Object> container = Tree.list(pods.getFirst(), "containers").getFirst();
				Map<String, Object> containerPorts = Tree.list(container, "ports")
					.stream()
					.collect(Collectors.toMap(p -> (String) p.get("name"), p -> p.get("containerPort")));
				for (Map<String, Object> port : Tree.list(service.body(), "spec.ports")) {
					assertThat(containerPorts).as("%s port %s", service.name(), port.get("name"))
						.containsKey((String) port.get("targetPort"));
					assertThat(containerPorts.get((String) port.get("targetPort"))).isEqualTo(port.get("port"));
				}
			}
			for (Manifest monitor : rendered.ofKind("ServiceMonitor")) {
				Map<String, Object> selector = Tree.map(monitor.body(), "spec.selector.matchLabels");
				List<Manifest> services = rendered.ofKind("Service")
					.stream()
					.filter(s -> s.labels().entrySet().containsAll(selector.entrySet()))
					.toList();
				assertThat(services).as("Services selected by ServiceMonitor %s", monitor.name()).hasSize(1);
				assertThat(monitor.labels()).containsEntry("release", "kube-prometheus-stack");
				for (Map<String, Object> endpoint : Tree.list(monitor.body(), "spec.endpoints")) {
					assertThat(Tree.list(services.getFirst().body(), "spec.ports")).extracting(p -> p.get("name"))
						.contains(endpoint.get("port"));
					assertThat(MANAGEMENT_PATHS).contains((String) endpoint.get("path"));
				}
			}
		}
	}

	@Test
	void probesHitActuatorGroupsOnTheManagementPorts() {
		Rendered rendered = Chart.renderDefaults();
		for (String name : List.of("demo-cumsum-api", "demo-transaction-api")) {
			Map<String, Object> container = Tree
				.list(rendered.get("Deployment", name).body(), "spec.template.spec.containers")
				.getFirst();
			for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
				Map<String, Object> p = Tree.map(container, probe);
				assertThat(p).as("%s %s", name, probe).isNotEmpty();
				// HTTP on the management port only: transaction-api's gRPC health
				// answered SERVING while
				// MongoDB was unreachable (system-tests ReadinessProbeTests checks the
				// endpoint itself)
				assertThat(p).as("%s %s", name, probe)
					.containsOnlyKeys("httpGet", "periodSeconds", "timeoutSeconds", "failureThreshold");
				assertThat(Tree.string(p, "httpGet.port")).isEqualTo("management");
				assertThat(MANAGEMENT_PATHS).contains(Tree.string(p, "httpGet.path"));
			}
			assertThat(Tree.string(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
			assertThat(Tree.string(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
			assertThat(Tree.string(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
		}
	}

	/**
	 * A port is defined once, by the service (its src/main/resources/application.yaml);
	 * the chart's containerPorts, Service and headless Service ports, probe ports, gRPC
	 * target and HTTPRoute backend must be those numbers. Port name -> the Spring
	 * property that sets it.
	 */
	@Test
	void portsAreTheOnesEachServiceDefinesInItsApplicationYaml() throws IOException {
		Map<String, Map<String, String>> properties = Map.of("cumsum-api",
				Map.of("http", "server.port", "management", "management.server.port"), "transaction-api",
				Map.of("grpc", "spring.grpc.server.port", "management", "management.server.port"));
		Map<String, Map<String, Integer>> defined = new HashMap<>();
		properties.forEach((service, byName) -> {
			Object yaml = applicationYaml(service);
			Map<String, Integer> ports = new HashMap<>();
			byName
				.forEach((portName, property) -> ports.put(portName, Integer.valueOf(springProperty(yaml, property))));
			defined.put(service, ports);
		});
		assertThat(defined.values())
			.allSatisfy(ports -> assertThat(ports.values()).allSatisfy(p -> assertThat(p).isBetween(1, 65535)));

		Rendered rendered = Chart.render(Chart.DIR.resolve("ci/httproute-values.yaml"));
		defined.forEach((service, ports) -> {
			String name = Chart.RELEASE + "-" + service;
			Map<String, Object> container = Tree
				.list(rendered.get("Deployment", name).body(), "spec.template.spec.containers")
				.getFirst();
			Map<String, Object> containerPorts = Tree.list(container, "ports")
				.stream()
				.collect(Collectors.toMap(p -> (String) p.get("name"), p -> p.get("containerPort")));
			assertThat(containerPorts).as("containerPorts of %s", name).isEqualTo(ports);
			Map<String, Object> servicePorts = Tree.list(rendered.get("Service", name).body(), "spec.ports")
				.stream()
				.collect(Collectors.toMap(p -> (String) p.get("name"), p -> p.get("port")));
			assertThat(servicePorts).as("ports of Service %s", name).isEqualTo(ports);
			for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
				Object port = Tree.get(container, probe + ".httpGet.port");
				assertThat(port instanceof String n ? containerPorts.get(n) : port).as("%s %s port", name, probe)
					.isEqualTo(ports.get("management"));
			}
		});
		for (Map<String, Object> port : Tree.list(rendered.get("Service", "demo-transaction-api-headless").body(),
				"spec.ports")) {
			assertThat(port.get("port")).as("headless port %s", port.get("name"))
				.isEqualTo(defined.get("transaction-api").get((String) port.get("name")));
		}
		assertThat((String) env(rendered, "demo-cumsum-api").get("TRANSACTION_API_TARGET"))
			.endsWith(":" + defined.get("transaction-api").get("grpc"));
		assertThat(Tree.list(Tree.list(rendered.get("HTTPRoute", "demo-cumsum-api").body(), "spec.rules").getFirst(),
				"backendRefs"))
			.extracting(b -> b.get("port"))
			.containsExactly(defined.get("cumsum-api").get("http"));
	}

	static Object applicationYaml(String service) {
		try {
			return Chart
				.parseYaml(Files.readString(Chart.REPO_ROOT.resolve(service + "/src/main/resources/application.yaml")));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/**
	 * A property of a Spring application.yaml, following ${other.property} and
	 * ${ENV:default} references.
	 */
	static String springProperty(Object yaml, String property) {
		String value = Tree.string(yaml, property);
		assertThat(value).as("property %s", property).isNotNull();
		Matcher reference = Pattern.compile("\\$\\{([^:}]+)(?::([^}]*))?}").matcher(value);
		if (!reference.matches()) {
			return value;
		}
		return Tree.get(yaml, reference.group(1)) != null || reference.group(2) == null
				? springProperty(yaml, reference.group(1)) : reference.group(2);
	}

	@Test
	void servicesFindEachOther() {
		Rendered rendered = Chart.renderDefaults();
		Map<String, Object> apiEnv = env(rendered, "demo-cumsum-api");
		Matcher target = Pattern.compile("dns:///([a-z0-9-]+)\\.(\\w+)\\.svc\\.cluster\\.local:(\\d+)")
			.matcher((String) apiEnv.get("TRANSACTION_API_TARGET"));
		assertThat(target.matches()).isTrue();
		Manifest headless = rendered.get("Service", target.group(1));
		assertThat(Tree.string(headless.body(), "spec.clusterIP")).isEqualTo("None");
		assertThat(target.group(2)).isEqualTo(Chart.NAMESPACE);
		assertThat(Tree.list(headless.body(), "spec.ports")).extracting(p -> String.valueOf(p.get("port")))
			.contains(target.group(3));
		assertThat(Tree.map(headless.body(), "spec.selector")).isEqualTo(
				Tree.map(rendered.get("Deployment", "demo-transaction-api").body(), "spec.selector.matchLabels"));

		Map<String, Object> txEnv = env(rendered, "demo-transaction-api");
		Matcher uri = Pattern.compile(
				"mongodb://\\$\\(MONGO_USERNAME\\):\\$\\(MONGO_PASSWORD\\)@([a-z0-9-]+)-0\\.([a-z0-9-]+)\\.cumsum\\.svc\\.cluster\\.local:27017/cumsum\\?replicaSet=rs0&authSource=cumsum")
			.matcher((String) txEnv.get("SPRING_MONGODB_URI"));
		assertThat(uri.matches()).as((String) txEnv.get("SPRING_MONGODB_URI")).isTrue();
		assertThat(rendered.has("StatefulSet", uri.group(1))).isTrue();
		assertThat(Tree.string(rendered.get("StatefulSet", uri.group(1)).body(), "spec.serviceName"))
			.isEqualTo(uri.group(2));
		assertThat(Tree.string(rendered.get("Service", uri.group(2)).body(), "spec.clusterIP")).isEqualTo("None");
		Manifest secret = rendered.get("Secret", "demo-mongodb");
		assertThat(Tree.map(secret.body(), "data")).containsKeys("username", "password", "app-password", "keyfile");
		assertThat(secret.annotations()).containsEntry("helm.sh/resource-policy", "keep");
		// the variables the URI expands are defined before it (Kubernetes expands only
		// earlier ones)
		List<String> names = envList(rendered, "demo-transaction-api").stream()
			.map(e -> (String) e.get("name"))
			.toList();
		assertThat(names.indexOf("MONGO_PASSWORD")).isLessThan(names.indexOf("SPRING_MONGODB_URI"));
	}

	@Test
	void externalMongoDbTakesTheUriFromTheExistingSecret() {
		Rendered rendered = Chart.render(Chart.DIR.resolve("ci/external-mongodb-values.yaml"));
		assertThat(rendered.ofKind("StatefulSet")).isEmpty();
		assertThat(rendered.has("Secret", "demo-mongodb")).isFalse();
		Map<String, Object> uri = envList(rendered, "demo-transaction-api").stream()
			.filter(e -> "SPRING_MONGODB_URI".equals(e.get("name")))
			.findFirst()
			.orElseThrow();
		assertThat(Tree.string(uri, "valueFrom.secretKeyRef.name")).isEqualTo("cumsum-mongodb-uri");
		assertThat(Tree.string(uri, "valueFrom.secretKeyRef.key")).isEqualTo("uri");
	}

	@Test
	void trafficEntriesExposeOnlyTheApi() {
		Manifest ingress = Chart.render(Chart.DIR.resolve("ci/ingress-values.yaml")).get("Ingress", "demo-cumsum-api");
		assertThat(Tree.string(ingress.body(), "spec.ingressClassName")).isEqualTo("traefik");
		List<Map<String, Object>> paths = Tree.list(Tree.list(ingress.body(), "spec.rules").getFirst(), "http.paths");
		assertThat(paths).singleElement().satisfies(p -> {
			assertThat(p.get("path")).isEqualTo("/api");
			assertThat(p.get("pathType")).isEqualTo("Prefix");
			assertThat(Tree.string(p, "backend.service.name")).isEqualTo("demo-cumsum-api");
			assertThat(Tree.string(p, "backend.service.port.name")).isEqualTo("http");
		});

		Manifest route = Chart.render(Chart.DIR.resolve("ci/httproute-values.yaml"))
			.get("HTTPRoute", "demo-cumsum-api");
		assertThat(Tree.list(route.body(), "spec.rules")).singleElement().satisfies(rule -> {
			assertThat(Tree.list(rule, "matches")).singleElement()
				.satisfies(
						m -> assertThat(Tree.map(m, "path")).isEqualTo(Map.of("type", "PathPrefix", "value", "/api")));
			assertThat(Tree.list(rule, "backendRefs")).singleElement()
				.satisfies(b -> assertThat(b).containsEntry("name", "demo-cumsum-api")
					.containsEntry("port",
							Integer.valueOf(springProperty(applicationYaml("cumsum-api"), "server.port"))));
		});
	}

	@Test
	void podsRunUnderTheRestrictedPodSecurityStandard() {
		for (String mode : List.of("tracing-values.yaml", "keda-values.yaml")) {
			Rendered rendered = Chart.render(Chart.DIR.resolve("ci/" + mode));
			for (Manifest workload : rendered.manifests()) {
				if (!Set.of("Deployment", "StatefulSet").contains(workload.kind())) {
					continue;
				}
				Map<String, Object> pod = Tree.map(workload.body(), "spec.template.spec");
				assertThat(Tree.get(pod, "securityContext.runAsNonRoot")).as(workload.name()).isEqualTo(true);
				assertThat((Integer) Tree.get(pod, "securityContext.runAsUser")).isPositive();
				assertThat(Tree.string(pod, "securityContext.seccompProfile.type")).isEqualTo("RuntimeDefault");
				for (Map<String, Object> c : Tree.list(pod, "containers")) {
					assertThat(Tree.get(c, "securityContext.allowPrivilegeEscalation")).isEqualTo(false);
					assertThat(Tree.get(c, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
					assertThat(Tree.get(c, "securityContext.capabilities.drop")).isEqualTo(List.of("ALL"));
					assertThat(Tree.list(c, "volumeMounts")).extracting(v -> v.get("mountPath")).contains("/tmp");
					assertThat(Tree.map(c, "resources.requests")).containsKeys("cpu", "memory");
					assertThat(Tree.map(c, "resources.limits")).containsKey("memory");
				}
				assertThat(Tree.get(pod, "hostNetwork")).isNull();
			}
		}
	}

	@Test
	void shutdownOutlastsTheDrain() {
		Rendered rendered = Chart.renderDefaults();
		for (String name : List.of("demo-cumsum-api", "demo-transaction-api")) {
			Map<String, Object> pod = Tree.map(rendered.get("Deployment", name).body(), "spec.template.spec");
			int grace = (Integer) pod.get("terminationGracePeriodSeconds");
			int preStop = (Integer) Tree.get(Tree.list(pod, "containers").getFirst(),
					"lifecycle.preStop.sleep.seconds");
			// preStop sleep + the services' 30 s drain must fit in the grace period
			assertThat(grace).isGreaterThanOrEqualTo(preStop + 30);
			assertThat(rendered.get("PodDisruptionBudget", name).body()).isNotNull();
		}
	}

	@Test
	void prometheusRuleEmbedsTheRuleFileAndDashboardsCarryTheSidecarLabel() throws IOException {
		Rendered rendered = Chart.renderDefaults();
		Object file = Chart.parseYaml(Files.readString(MetricsContract.PLAIN_RULES));
		assertThat(rendered.get("PrometheusRule", "demo-rules").body().get("spec")).isEqualTo(file);
		List<Manifest> dashboards = rendered.ofKind("ConfigMap")
			.stream()
			.filter(m -> "monitoring".equals(m.component()))
			.toList();
		try (var files = Files.list(Chart.DIR.resolve("files/dashboards"))) {
			assertThat(dashboards).hasSize((int) files.filter(f -> f.toString().endsWith(".json")).count());
		}
		for (Manifest cm : dashboards) {
			assertThat(cm.labels()).containsEntry("grafana_dashboard", "1");
			assertThat(Tree.map(cm.body(), "data")).allSatisfy((k, v) -> assertThat(k).endsWith(".json"));
		}
	}

	static List<Map<String, Object>> podsSelectedBy(Rendered rendered, Map<String, Object> selector) {
		return rendered.manifests()
			.stream()
			.filter(m -> Set.of("Deployment", "StatefulSet").contains(m.kind()))
			.filter(m -> Tree.map(m.body(), "spec.template.metadata.labels")
				.entrySet()
				.containsAll(selector.entrySet()))
			.map(m -> Tree.map(m.body(), "spec.template.spec"))
			.toList();
	}

	static List<Map<String, Object>> envList(Rendered rendered, String deployment) {
		return Tree.list(
				Tree.list(rendered.get("Deployment", deployment).body(), "spec.template.spec.containers").getFirst(),
				"env");
	}

	static Map<String, Object> env(Rendered rendered, String deployment) {
		Map<String, Object> env = new HashMap<>();
		for (Map<String, Object> e : envList(rendered, deployment)) {
			if (e.containsKey("value")) {
				env.put((String) e.get("name"), e.get("value"));
			}
		}
		return env;
	}

}
