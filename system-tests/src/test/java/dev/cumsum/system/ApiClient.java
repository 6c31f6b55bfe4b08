package dev.cumsum.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A client of cumsum-api's public HTTP API. */
final class ApiClient {

	// exact numbers: BigDecimal, never double, or the assertions could not see a rounding
	// bug
	static final JsonMapper JSON = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
		.build();

	/**
	 * The history read token every cumsum-api process of these tests gets
	 * (cumsum.history.token).
	 */
	static final String HISTORY_TOKEN = "system-test-history-token";

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String base;

	ApiClient(int port) {
		this.base = "http://127.0.0.1:" + port;
	}

	HttpResponse<String> post(String body, String requestId) throws IOException, InterruptedException {
		return post(body, requestId, new String[0]);
	}

	/** POST /api with further headers (name, value, ...). */
	HttpResponse<String> post(String body, String requestId, String... headers)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + "/api"))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (requestId != null) {
			request.header("X-Request-Id", requestId);
		}
		if (headers.length > 0) {
			request.headers(headers);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** GET with the history token. */
	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return getWith(path, "Authorization", "Bearer " + HISTORY_TOKEN);
	}

	/** GET with exactly these headers (none: no credential). */
	HttpResponse<String> getWith(String path, String... headers) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + path))
			.timeout(Duration.ofSeconds(10));
		if (headers.length > 0) {
			request.headers(headers);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	static JsonNode json(HttpResponse<String> response) {
		return JSON.readTree(response.body());
	}

}
