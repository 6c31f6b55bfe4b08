package dev.cumsum.loadtest.report;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The one Prometheus HTTP API call the report needs: {@code /api/v1/query_range}. */
final class PrometheusClient {

	/** One returned series: its labels and its values by timestamp (epoch seconds). */
	record Series(Map<String, String> labels, Map<Long, Double> values) {
	}

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final URI base;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	PrometheusClient(String baseUrl) {
		this.base = URI.create(baseUrl.endsWith("/") ? baseUrl : baseUrl + "/");
	}

	List<Series> queryRange(String promql, long start, long end, long stepSeconds)
			throws IOException, InterruptedException {
		String form = "query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&start=" + start + "&end=" + end
				+ "&step=" + stepSeconds;
		HttpRequest request = HttpRequest.newBuilder(base.resolve("api/v1/query_range"))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form))
			.build();
		HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
		JsonNode body;
		try {
			body = JSON.readTree(response.body());
		}
		catch (RuntimeException e) {
			throw new IOException("Prometheus answered " + response.statusCode() + " with non-JSON: " + response.body(),
					e);
		}
		if (response.statusCode() != 200 || !"success".equals(body.path("status").asString())) {
			throw new IOException(
					"query failed (" + response.statusCode() + "): " + body.path("error").asString() + " -- " + promql);
		}
		List<Series> out = new ArrayList<>();
		for (JsonNode r : body.path("data").path("result")) {
			Map<String, String> labels = new HashMap<>();
			r.path("metric").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asString()));
			Map<Long, Double> values = new HashMap<>();
			for (JsonNode v : r.path("values")) {
				values.put(Math.round(v.get(0).asDouble()), Double.parseDouble(v.get(1).asString()));
			}
			out.add(new Series(labels, values));
		}
		return out;
	}

}
