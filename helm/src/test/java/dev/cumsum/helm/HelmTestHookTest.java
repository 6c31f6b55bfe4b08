package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import dev.cumsum.helm.Chart.Manifest;
import dev.cumsum.helm.Chart.Rendered;
import dev.cumsum.helm.Chart.Tree;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.util.Yaml;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The `helm test` Pod. helm-java's template output leaves hooks out, so the test renders
 * a copy of the chart whose test template lacks only the hook annotation, then runs the
 * Pod's own script with the real curl against a stand-in API on 127.0.0.1: once answering
 * correctly, once wrongly.
 */
class HelmTestHookTest {

	@TempDir
	Path tmp;

	private Manifest testPod() throws IOException {
		Path copy = tmp.resolve("chart");
		try (Stream<Path> files = Files.walk(Chart.DIR)) {
			for (Path source : files.toList()) {
				Path target = copy.resolve(Chart.DIR.relativize(source).toString());
				if (Files.isDirectory(source)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(source, target);
				}
			}
		}
		Path template = copy.resolve("templates/tests/api-roundtrip.yaml");
		String text = Files.readString(template);
		assertThat(text).contains("helm.sh/hook: test");
		Files.writeString(template, text.replace("helm.sh/hook: test", "cumsum.dev/was-hook: test"));
		FakeApiServer.start();
		String out = new com.marcnuri.helm.Helm(copy).template()
			.withName(Chart.RELEASE)
			.withNamespace(Chart.NAMESPACE)
			.withKubeVersion(Chart.KUBE_VERSION)
			.call();
		return Rendered.parse(out).get("Pod", "demo-test-api-roundtrip");
	}

	@Test
	void podIsAValidRestrictedPodAimedAtTheApiService() throws IOException {
		Manifest pod = testPod();
		V1Pod typed = (V1Pod) Yaml.load(pod.text());
		assertThat(typed.getSpec().getRestartPolicy()).isEqualTo("Never");
		assertThat(typed.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
		assertThat(typed.getSpec().getContainers().getFirst().getSecurityContext().getReadOnlyRootFilesystem())
			.isTrue();
		assertThat(pod.labels()).containsEntry("app.kubernetes.io/component", "helm-test");
		String url = typed.getSpec().getContainers().getFirst().getEnv().getFirst().getValue();
		assertThat(url).isEqualTo("http://demo-cumsum-api.cumsum.svc:8080");
		var token = typed.getSpec().getContainers().getFirst().getEnv().get(1);
		assertThat(token.getName()).isEqualTo("HISTORY_TOKEN");
		assertThat(token.getValueFrom().getSecretKeyRef().getName()).isEqualTo("demo-history-token");
		assertThat(token.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("token");
		assertThat(Chart.renderDefaults().has("Secret", "demo-history-token")).isTrue();
		assertThat(Chart.renderDefaults().has("Service", "demo-cumsum-api")).isTrue();
	}

	@Test
	void scriptPassesAgainstACorrectApiAndFailsAgainstAWrongOne() throws Exception {
		assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")) || Files.isExecutable(Path.of("/bin/curl")), "curl");
		Manifest pod = testPod();
		List<String> args = (List<String>) (List<?>) Tree.list(pod.body(), "spec.containers").getFirst().get("args");
		String script = args.getFirst();

		assertThat(run(script, "[1,3,6]", true)).isZero();
		assertThat(run(script, "[1,2,3]", true)).isNotZero();
		// a history readable without the token fails the test too
		assertThat(run(script, "[1,3,6]", false)).isNotZero();
	}

	private static final String TOKEN = "history-token-for-the-hook-test";

	/**
	 * Runs the script against a stand-in API whose POST answers `data` and whose history
	 * needs the bearer token when `secured`; returns the exit code.
	 */
	private int run(String script, String data, boolean secured) throws Exception {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		String id = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
		server.createContext("/api", exchange -> {
			String body;
			int status = 200;
			String path = exchange.getRequestURI().getPath();
			String input = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			if (exchange.getRequestMethod().equals("POST") && path.equals("/api")
					&& input.equals("{\"arr\":[1,2,3]}")) {
				body = "{\"message\":\"success\",\"data\":" + data
						+ ",\"exec_ns\":1200,\"start_time\":1700000000,\"request_id\":\"" + id + "\"}";
			}
			else if (exchange.getRequestMethod().equals("GET") && path.equals("/api/transactions/" + id) && secured
					&& !("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
				status = 401;
				body = "{\"status\":401}";
			}
			else if (exchange.getRequestMethod().equals("GET") && path.equals("/api/transactions/" + id)) {
				body = "{\"request_id\":\"" + id + "\",\"arr\":[1,2,3],\"data\":" + data + "}";
			}
			else {
				status = 404;
				body = "{\"status\":404}";
			}
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(status, bytes.length);
			exchange.getResponseBody().write(bytes);
			exchange.close();
		});
		server.start();
		try {
			ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", script).redirectErrorStream(true);
			builder.environment().put("API_URL", "http://127.0.0.1:" + server.getAddress().getPort());
			builder.environment().put("HISTORY_TOKEN", TOKEN);
			Process process = builder.start();
			assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
			System.out.println(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
			return process.exitValue();
		}
		finally {
			server.stop(0);
		}
	}

}
