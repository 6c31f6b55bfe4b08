package dev.cumsum.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus process on a free loopback port, and a small client for its HTTP API.
 */
public final class PrometheusServer implements AutoCloseable {

	/**
	 * One series of a query result: its labels and its values (one for an instant query).
	 */
	public record Series(Map<String, String> labels, List<Double> values) {
		public double value() {
			return values.getLast();
		}

		public boolean hasFiniteValue() {
			return values.stream().anyMatch(Double::isFinite);
		}
	}

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Process process;

	private final URI base;

	private final Path log;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private PrometheusServer(Process process, URI base, Path log) {
		this.process = process;
		this.base = base;
		this.log = log;
	}

	/**
	 * Starts Prometheus with the given configuration over the TSDB in
	 * {@code workDir/data}.
	 */
	public static PrometheusServer start(Path workDir, String config) throws IOException, InterruptedException {
		Path binary = Executables.require("prometheus");
		Path data = Files.createDirectories(workDir.resolve("data"));
		Path configFile = workDir.resolve("prometheus.yml");
		Files.writeString(configFile, config);
		int port = Executables.freePort();
		return launch(
				new ProcessBuilder(binary.toString(), "--config.file=" + configFile, "--storage.tsdb.path=" + data,
						"--storage.tsdb.retention.time=3650d", "--web.listen-address=127.0.0.1:" + port),
				workDir, port);
	}

	/**
	 * Starts Prometheus with {@code builder} (a command that runs, or execs, prometheus
	 * listening on 127.0.0.1:{@code port}) and waits until it is ready; its output goes
	 * to {@code workDir/prometheus.log}.
	 */
	public static PrometheusServer launch(ProcessBuilder builder, Path workDir, int port)
			throws IOException, InterruptedException {
		Files.createDirectories(workDir);
		Path log = workDir.resolve("prometheus.log");
		Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
		PrometheusServer server = new PrometheusServer(process, URI.create("http://127.0.0.1:" + port), log);
		server.awaitReady();
		return server;
	}

	private void awaitReady() throws IOException, InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (System.nanoTime() < deadline) {
			if (!process.isAlive()) {
				throw new IllegalStateException("prometheus exited: " + logTail());
			}
			try {
				HttpResponse<String> response = http.send(HttpRequest.newBuilder(base.resolve("/-/ready")).build(),
						HttpResponse.BodyHandlers.ofString());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException notYet) {
				// not listening yet
			}
			Thread.sleep(100);
		}
		close();
		throw new IllegalStateException("prometheus not ready in 30 s: " + logTail());
	}

	public String logTail() throws IOException {
		List<String> lines = Files.readAllLines(log);
		return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
	}

	public URI base() {
		return base;
	}

	/** The base URL, e.g. {@code http://127.0.0.1:40123}. */
	public String url() {
		return base.toString();
	}

	public List<Series> query(String promql, Instant at) throws IOException, InterruptedException {
		return parse(post("/api/v1/query", Map.of("query", promql, "time", seconds(at))), promql);
	}

	public List<Series> queryRange(String promql, Instant start, Instant end, Duration step)
			throws IOException, InterruptedException {
		return parse(post("/api/v1/query_range", Map.of("query", promql, "start", seconds(start), "end", seconds(end),
				"step", String.valueOf(step.toSeconds()))), promql);
	}

	public List<String> labelValues(String label, String match, Instant start, Instant end)
			throws IOException, InterruptedException {
		// this endpoint only answers GET
		JsonNode data = call("/api/v1/label/" + label + "/values",
				Map.of("match[]", match, "start", seconds(start), "end", seconds(end)), false);
		List<String> values = new ArrayList<>();
		data.forEach(v -> values.add(v.asString()));
		return values;
	}

	/** Labels of the targets Prometheus scrapes, with their health ("up"). */
	public List<Map<String, String>> activeTargets() throws IOException, InterruptedException {
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(base.resolve("/api/v1/targets?state=active")).build(),
				HttpResponse.BodyHandlers.ofString());
		List<Map<String, String>> targets = new ArrayList<>();
		for (JsonNode target : JSON.readTree(response.body()).path("data").path("activeTargets")) {
			Map<String, String> labels = new LinkedHashMap<>();
			target.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
			labels.put("health", target.path("health").asString());
			labels.put("lastError", target.path("lastError").asString());
			targets.add(labels);
		}
		return targets;
	}

	private JsonNode post(String path, Map<String, String> form) throws IOException, InterruptedException {
		return call(path, form, true);
	}

	private JsonNode call(String path, Map<String, String> form, boolean post)
			throws IOException, InterruptedException {
		String body = form.entrySet()
			.stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
					+ URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		HttpRequest request = post
				? HttpRequest.newBuilder(base.resolve(path))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString(body))
					.timeout(Duration.ofSeconds(20))
					.build()
				: HttpRequest.newBuilder(base.resolve(path + "?" + body)).timeout(Duration.ofSeconds(20)).build();
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
		if (!response.body().startsWith("{")) {
			throw new IllegalArgumentException("Prometheus answered " + response.statusCode() + " to " + path + " "
					+ form + ": " + response.body());
		}
		JsonNode root = JSON.readTree(response.body());
		if (response.statusCode() != 200 || !"success".equals(root.path("status").asString())) {
			throw new IllegalArgumentException("Prometheus rejected " + form + ": " + response.body());
		}
		return root.path("data");
	}

	private static List<Series> parse(JsonNode data, String promql) {
		String type = data.path("resultType").asString();
		List<Series> result = new ArrayList<>();
		for (JsonNode item : data.path("result")) {
			Map<String, String> labels = new LinkedHashMap<>();
			item.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
			List<Double> values = new ArrayList<>();
			switch (type) {
				case "vector" -> values.add(Double.parseDouble(item.path("value").get(1).asString()));
				case "matrix" -> item.path("values").forEach(v -> values.add(Double.parseDouble(v.get(1).asString())));
				default -> throw new IllegalArgumentException("unexpected result type " + type + " for " + promql);
			}
			result.add(new Series(labels, values));
		}
		return result;
	}

	private static String seconds(Instant instant) {
		return String.valueOf(instant.getEpochSecond());
	}

	@Override
	public void close() {
		process.destroy();
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException e) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

}
