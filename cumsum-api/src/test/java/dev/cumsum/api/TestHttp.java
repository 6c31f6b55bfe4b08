package dev.cumsum.api;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real HTTP/1.1 to a running cumsum-api, and readers for its JSON and Prometheus text.
 */
public final class TestHttp {

	private static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	/**
	 * Numbers stay exact: decimals as BigDecimal with their scale, big integers as
	 * BigInteger.
	 */
	private static final JsonMapper json = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
		.build();

	private TestHttp() {
	}

	public static HttpResponse<String> postJson(int port, String path, String body, String... headers) {
		return post(port, path, "application/json", HttpRequest.BodyPublishers.ofString(body), headers);
	}

	public static HttpResponse<String> post(int port, String path, String contentType, BodyPublisher body,
			String... headers) {
		HttpRequest.Builder request = request(port, path, headers).POST(body);
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return send(request.build());
	}

	public static HttpResponse<String> get(int port, String path, String... headers) {
		return send(request(port, path, headers).GET().build());
	}

	public static HttpResponse<String> method(int port, String method, String path) {
		return send(request(port, path).method(method, HttpRequest.BodyPublishers.noBody()).build());
	}

	private static HttpRequest.Builder request(int port, String path, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(20));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return request;
	}

	public static HttpResponse<String> send(HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(request + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One chunk of a {@code Transfer-Encoding: chunked} body, for requests written to a
	 * socket.
	 */
	public static String chunk(String data) {
		return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
	}

	/**
	 * One line of a raw HTTP/1.1 answer read from a socket (the status line, a header).
	 */
	public static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int b;
		while ((b = in.read()) != -1 && b != '\n') {
			line.append((char) b);
		}
		return line.toString().strip();
	}

	public static JsonNode json(HttpResponse<String> response) {
		return json.readTree(response.body());
	}

	/**
	 * Asserts an RFC 9457 problem with this status: the status line,
	 * {@code application/problem+json}, the body's {@code status}, a title and a detail.
	 * Returns the body.
	 */
	public static JsonNode assertProblem(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
		JsonNode problem = json(response);
		assertThat(problem.get("status").asInt()).isEqualTo(status);
		assertThat(problem.get("title").asString()).isNotBlank();
		assertThat(problem.get("detail").asString()).isNotBlank();
		return problem;
	}

	/** The {@code data} of a 200 body as exact decimals. */
	public static List<BigDecimal> data(HttpResponse<String> response) {
		if (response.statusCode() != 200) {
			throw new AssertionError("expected 200, was " + response.statusCode() + ": " + response.body());
		}
		List<BigDecimal> values = new ArrayList<>();
		json(response).get("data").forEach((node) -> values.add(node.decimalValue()));
		return values;
	}

	/**
	 * Every sample of one metric in Prometheus text, keyed by its label set as written
	 * (e.g. {@code application="cumsum-api",mode="man",outcome="success"}).
	 */
	public static Map<String, Double> samples(int managementPort, String name) {
		HttpResponse<String> response = get(managementPort, "/actuator/prometheus");
		if (response.statusCode() != 200) {
			throw new AssertionError("/actuator/prometheus answered " + response.statusCode());
		}
		Map<String, Double> samples = new LinkedHashMap<>();
		Matcher matcher = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE)
			.matcher(response.body());
		while (matcher.find()) {
			samples.put(matcher.group(1), Double.parseDouble(matcher.group(2)));
		}
		return samples;
	}

	/**
	 * The one sample of {@code name} carrying all of the given {@code label="value"}
	 * pairs; fails when absent.
	 */
	public static double sample(int managementPort, String name, String... labels) {
		Map<String, Double> samples = samples(managementPort, name);
		return samples.entrySet()
			.stream()
			.filter((sample) -> hasLabels(sample.getKey(), labels))
			.mapToDouble(Map.Entry::getValue)
			.reduce((a, b) -> {
				throw new AssertionError("more than one sample " + name + " with " + String.join(",", labels));
			})
			.orElseThrow(() -> new AssertionError(
					"no sample " + name + "{" + String.join(",", labels) + "} among " + samples.keySet()));
	}

	public static boolean hasLabels(String labelSet, String... labels) {
		String all = "," + labelSet + ",";
		for (String label : labels) {
			if (!all.contains("," + label + ",")) {
				return false;
			}
		}
		return true;
	}

}
