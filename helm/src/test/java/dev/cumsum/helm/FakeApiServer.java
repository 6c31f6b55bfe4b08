package dev.cumsum.helm;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The two Kubernetes API calls that the chart's `lookup` makes (discovery of v1, GET one
 * Secret), on 127.0.0.1. helm-java renders with a Kubernetes client even in template
 * mode; the surefire configuration points KUBECONFIG at the file written here, so no
 * render ever reaches a real cluster or whatever else listens on localhost:8080.
 */
final class FakeApiServer {

	private static FakeApiServer instance;

	private final HttpServer server;

	private final Map<String, String> secrets = new ConcurrentHashMap<>();

	private FakeApiServer() throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/", this::handle);
		server.start();
	}

	static synchronized FakeApiServer start() {
		if (instance == null) {
			try {
				instance = new FakeApiServer();
				instance.writeKubeconfig();
			}
			catch (IOException e) {
				throw new UncheckedIOException(e);
			}
		}
		return instance;
	}

	/**
	 * Makes GET .../secrets/{name} return a Secret with these base64 data entries (null
	 * removes it).
	 */
	void secret(String namespace, String name, Map<String, String> base64Data) {
		String key = "/api/v1/namespaces/" + namespace + "/secrets/" + name;
		if (base64Data == null) {
			secrets.remove(key);
			return;
		}
		StringBuilder data = new StringBuilder();
		base64Data.forEach((k, v) -> data.append(data.isEmpty() ? "" : ",")
			.append('"')
			.append(k)
			.append("\":\"")
			.append(v)
			.append('"'));
		secrets.put(key,
				"""
						{"kind":"Secret","apiVersion":"v1","metadata":{"name":"%s","namespace":"%s"},"type":"Opaque","data":{%s}}"""
					.formatted(name, namespace, data));
	}

	private void writeKubeconfig() throws IOException {
		String path = System.getenv("KUBECONFIG");
		if (path == null || path.isBlank()) {
			throw new IllegalStateException("KUBECONFIG must be set (helm/pom.xml surefire configuration)");
		}
		String kubeconfig = """
				apiVersion: v1
				kind: Config
				clusters:
				  - name: fake
				    cluster: {server: "http://127.0.0.1:%d"}
				users:
				  - name: fake
				    user: {token: fake}
				contexts:
				  - name: fake
				    context: {cluster: fake, user: fake, namespace: %s}
				current-context: fake
				""".formatted(server.getAddress().getPort(), Chart.NAMESPACE);
		Path file = Path.of(path);
		Files.createDirectories(file.toAbsolutePath().getParent());
		Files.writeString(file, kubeconfig);
	}

	private void handle(HttpExchange exchange) throws IOException {
		String path = exchange.getRequestURI().getPath();
		String body;
		int status = 200;
		if (path.equals("/api/v1")) {
			body = """
					{"kind":"APIResourceList","groupVersion":"v1","resources":[
					 {"name":"secrets","singularName":"secret","namespaced":true,"kind":"Secret","verbs":["get","list"]}]}""";
		}
		else if (secrets.containsKey(path)) {
			body = secrets.get(path);
		}
		else {
			status = 404;
			body = """
					{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404,"message":"not found"}""";
		}
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, bytes.length);
		try (var out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

}
