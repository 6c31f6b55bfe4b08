package dev.cumsum.api.cumsum;

import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.cumsum.api.TestHttp;
import dev.cumsum.api.TransactionServiceDouble.Behaviour;
import dev.cumsum.api.WithTransactionServiceDouble;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.test.context.TestPropertySource;

import static dev.cumsum.api.TestHttp.postJson;
import static dev.cumsum.api.TestHttp.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The metrics of docs/metrics.md as Prometheus scrapes them from the management port:
 * names, labels, zero series at startup, and exact counts per request.
 */
// a context of its own: the counters must not have seen another test class's requests
@TestPropertySource(properties = "cumsum.test.fresh-context=ApiRequestMetricsTests")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiRequestMetricsTests extends WithTransactionServiceDouble {

	private static final List<String> MODES = List.of("man", "np", "invalid");

	private static final List<String> OUTCOMES = List.of("success", "client_error", "unavailable", "overloaded",
			"server_error");

	private static final List<String> RESULTS = List.of("acknowledged", "rejected", "failed", "lost", "conflict");

	@Test
	@Order(1)
	void everyModeAndOutcomeIsExposedAsZeroBeforeAnyRequest() {
		Map<String, Double> counts = counts();
		assertThat(counts).hasSize(MODES.size() * OUTCOMES.size());
		counts.forEach((key, value) -> assertThat(value).as(key).isZero());
		assertThat(TestHttp.samples(this.managementPort, "cumsum_requests_total").keySet())
			.allSatisfy((labels) -> assertThat(labels).contains("application=\"cumsum-api\""));
	}

	@Test
	@Order(2)
	void eachFinishedPostCountsOnceUnderItsModeAndOutcome() {
		Map<String, Double> before = counts();

		for (int i = 0; i < 3; i++) {
			assertThat(postJson(this.port, "/api", "{\"arr\":[1,2]}").statusCode()).isEqualTo(200);
		}
		assertThat(postJson(this.port, "/api/", "{\"arr\":[1],\"mode\":\"np\"}").statusCode()).isEqualTo(200);
		assertThat(postJson(this.port, "/api", "{\"arr\":[0.5],\"mode\":\"np\"}").statusCode()).isEqualTo(200);
		// rejected before a mode was known
		assertThat(postJson(this.port, "/api", "{\"arr\":[1,\"x\"],\"mode\":\"np\"}").statusCode()).isEqualTo(400);
		assertThat(postJson(this.port, "/api", "not json").statusCode()).isEqualTo(400);
		assertThat(postJson(this.port, "/api", "{\"arr\":[1]}", "X-Request-Id", "bad id").statusCode()).isEqualTo(400);
		assertThat(
				TestHttp.post(this.port, "/api", "text/plain", HttpRequest.BodyPublishers.ofString("1")).statusCode())
			.isEqualTo(415);
		// computed, then the history failed
		transactions.behave(Behaviour.UNAVAILABLE);
		assertThat(postJson(this.port, "/api", "{\"arr\":[1],\"mode\":\"np\"}").statusCode()).isEqualTo(503);
		transactions.behave(Behaviour.NORMAL);
		// not a POST: not an API request
		assertThat(TestHttp.get(this.port, "/api").statusCode()).isEqualTo(405);
		assertThat(TestHttp.get(this.port, "/api/transactions/stats", "Authorization", "Bearer " + HISTORY_TOKEN)
			.statusCode()).isEqualTo(200);

		Map<String, Double> expected = new HashMap<>(before);
		expected.merge("man/success", 3.0, Double::sum);
		expected.merge("np/success", 2.0, Double::sum);
		expected.merge("invalid/client_error", 4.0, Double::sum);
		expected.merge("np/unavailable", 1.0, Double::sum);
		assertThat(counts()).isEqualTo(expected);
	}

	@Test
	@Order(3)
	void theHttpHistogramReportsTheTrailingSlashAsApi() {
		double before = httpCount();
		postJson(this.port, "/api", "{\"arr\":[1]}");
		postJson(this.port, "/api/", "{\"arr\":[1]}");

		assertThat(httpCount()).isEqualTo(before + 2);
		Map<String, Double> buckets = TestHttp.samples(this.managementPort, "http_server_requests_seconds_bucket");
		assertThat(buckets.keySet()).anySatisfy((labels) -> assertThat(
				TestHttp.hasLabels(labels, "method=\"POST\"", "uri=\"/api\"", "status=\"200\"", "le=\"+Inf\""))
			.isTrue());
		assertThat(buckets.keySet())
			.anySatisfy((labels) -> assertThat(TestHttp.hasLabels(labels, "uri=\"/api\"", "le=\"0.001\"")).isTrue());
		assertThat(buckets.keySet())
			.anySatisfy((labels) -> assertThat(TestHttp.hasLabels(labels, "uri=\"/api\"", "le=\"10.0\"")).isTrue());
		assertThat(buckets.keySet()).noneSatisfy((labels) -> assertThat(labels).contains("uri=\"/api/\""));
		assertThat(TestHttp.samples(this.managementPort, "http_server_requests_seconds_count").keySet())
			.noneSatisfy((labels) -> assertThat(labels).contains("uri=\"/api/\""));
	}

	@Test
	@Order(4)
	void deliverySeriesExistAndCount() {
		for (String result : RESULTS) {
			sample(this.managementPort, "cumsum_delivery_records_total", "delivery=\"strict\"",
					"result=\"" + result + "\"");
		}
		sample(this.managementPort, "cumsum_delivery_retries_total", "delivery=\"strict\"");
		assertThat(sample(this.managementPort, "cumsum_delivery_buffer_size", "delivery=\"strict\"")).isZero();
		assertThat(sample(this.managementPort, "cumsum_delivery_buffer_capacity", "delivery=\"strict\""))
			.isEqualTo(10_000);
		assertThat(sample(this.managementPort, "cumsum_delivery_buffer_held_bytes", "delivery=\"strict\"")).isZero();
		for (String part : List.of("count", "sum", "max")) {
			sample(this.managementPort, "cumsum_delivery_batch_size_" + part, "delivery=\"strict\"");
		}
		for (String outcome : List.of("success", "failure")) {
			sample(this.managementPort, "cumsum_delivery_batch_seconds_bucket", "delivery=\"strict\"",
					"outcome=\"" + outcome + "\"", "le=\"+Inf\"");
			sample(this.managementPort, "cumsum_delivery_batch_seconds_count", "delivery=\"strict\"",
					"outcome=\"" + outcome + "\"");
		}

		double acknowledged = records("acknowledged");
		double failed = records("failed");
		double batches = sample(this.managementPort, "cumsum_delivery_batch_size_count", "delivery=\"strict\"");
		assertThat(postJson(this.port, "/api", "{\"arr\":[1]}").statusCode()).isEqualTo(200);
		transactions.behave(Behaviour.UNAVAILABLE);
		assertThat(postJson(this.port, "/api", "{\"arr\":[1]}").statusCode()).isEqualTo(503);
		transactions.behave(Behaviour.NORMAL);

		assertThat(records("acknowledged")).isEqualTo(acknowledged + 1);
		assertThat(records("failed")).isEqualTo(failed + 1);
		assertThat(records("rejected")).isZero();
		assertThat(records("lost")).isZero();
		assertThat(records("conflict")).isZero();
		assertThat(sample(this.managementPort, "cumsum_delivery_batch_size_count", "delivery=\"strict\""))
			.isEqualTo(batches + 2);
	}

	/**
	 * Untraced POST /api is timed by ApiRequestFilter, not Spring's observation
	 * (ApiObservationPredicate; tests export no traces, so sampling is 0): the same
	 * labels as the observation's, including {@code uri="UNKNOWN"} when no handler
	 * matched, and the in-flight series.
	 */
	@Test
	@Order(5)
	void untracedRequestsHaveTheObservationsLabels() {
		assertThat(
				TestHttp.post(this.port, "/api", "text/plain", HttpRequest.BodyPublishers.ofString("1")).statusCode())
			.isEqualTo(415);
		assertThat(postJson(this.port, "/api", "not json").statusCode()).isEqualTo(400);

		Map<String, Double> counts = TestHttp.samples(this.managementPort, "http_server_requests_seconds_count");
		assertThat(counts.keySet()).anySatisfy((labels) -> assertThat(
				TestHttp.hasLabels(labels, "application=\"cumsum-api\"", "error=\"none\"", "exception=\"none\"",
						"method=\"POST\"", "outcome=\"CLIENT_ERROR\"", "status=\"415\"", "uri=\"UNKNOWN\""))
			.isTrue());
		assertThat(counts.keySet())
			.anySatisfy((labels) -> assertThat(TestHttp.hasLabels(labels, "error=\"none\"", "exception=\"none\"",
					"method=\"POST\"", "outcome=\"CLIENT_ERROR\"", "status=\"400\"", "uri=\"/api\""))
				.isTrue());
		assertThat(sample(this.managementPort, "http_server_requests_active_seconds_gcount", "exception=\"none\"",
				"method=\"POST\"", "outcome=\"SUCCESS\"", "status=\"200\"", "uri=\"UNKNOWN\""))
			.isZero();
	}

	/**
	 * A request with a sampled incoming trace keeps Spring's observation
	 * (ApiObservationPredicate), which times it under the route {@code /api} although
	 * ApiRequestFilter answered it without Spring MVC's handler mapping.
	 */
	@Test
	@Order(6)
	void tracedRequestsAreTimedUnderTheRoute() {
		double before = httpCount();

		assertThat(postJson(this.port, "/api/", "{\"arr\":[1]}", "traceparent",
				"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
			.statusCode()).isEqualTo(200);

		await().untilAsserted(() -> assertThat(httpCount()).isEqualTo(before + 1));
	}

	private double records(String result) {
		return sample(this.managementPort, "cumsum_delivery_records_total", "delivery=\"strict\"",
				"result=\"" + result + "\"");
	}

	private double httpCount() {
		return TestHttp.samples(this.managementPort, "http_server_requests_seconds_count")
			.entrySet()
			.stream()
			.filter((sample) -> TestHttp.hasLabels(sample.getKey(), "method=\"POST\"", "uri=\"/api\"",
					"status=\"200\""))
			.mapToDouble(Map.Entry::getValue)
			.sum();
	}

	/**
	 * {@code cumsum_requests_total} by "mode/outcome"; fails unless exactly the
	 * documented labels appear.
	 */
	private Map<String, Double> counts() {
		Map<String, Double> counts = new HashMap<>();
		for (String mode : MODES) {
			for (String outcome : OUTCOMES) {
				counts.put(mode + "/" + outcome, sample(this.managementPort, "cumsum_requests_total",
						"mode=\"" + mode + "\"", "outcome=\"" + outcome + "\""));
			}
		}
		assertThat(TestHttp.samples(this.managementPort, "cumsum_requests_total")).hasSize(counts.size());
		return counts;
	}

}
