package dev.cumsum.api.history;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.cumsum.api.TestHttp;
import dev.cumsum.api.TransactionServiceDouble.Behaviour;
import dev.cumsum.api.WithTransactionServiceDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static dev.cumsum.api.TestHttp.assertProblem;
import static dev.cumsum.api.TestHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The history read endpoints over real HTTP, through gRPC to the transaction-api test
 * double: records are written by real {@code POST /api} requests first.
 */
class HistoryControllerTests extends WithTransactionServiceDouble {

	@Test
	void oneRecordWithExactValues() {
		post("big", "{\"arr\":[9223372036854775807,1,0.5],\"mode\":\"np\"}");

		HttpResponse<String> response = get(this.port, "/api/transactions/big");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode record = TestHttp.json(response);
		assertThat(record.get("request_id").asString()).isEqualTo("big");
		assertThat(record.get("mode").asString()).isEqualTo("np");
		assertThat(record.get("length").asInt()).isEqualTo(3);
		assertThat(record.get("pod").asString()).isEqualTo("pod-under-test");
		assertThat(record.get("exec_ns").asLong()).isNotNegative();
		assertThat(record.get("trace_id").asString()).matches("[0-9a-f]{32}");
		assertThat(Instant.parse(record.get("received_at").asString())).isBefore(Instant.now());
		// exact JSON numbers, never doubles
		assertThat(response.body()).contains("\"input\":[9223372036854775807,1,0.5]")
			.contains("\"output\":[9223372036854775807,9223372036854775808,9223372036854775808.5]");
	}

	@Test
	void integerRecordsAreNumbersToo() {
		post("ints", "{\"arr\":[1,2,-3]}");
		assertThat(get(this.port, "/api/transactions/ints").body()).contains("\"input\":[1,2,-3]")
			.contains("\"output\":[1,3,0]")
			.contains("\"mode\":\"man\"");
	}

	@Test
	void anUnknownIdIs404() {
		HttpResponse<String> response = get(this.port, "/api/transactions/nobody");
		assertProblem(response, 404);
		assertThat(TestHttp.json(response).get("detail").asString()).contains("nobody");
	}

	@Test
	void pagesNewestFirstWithACursorAndWithoutValues() {
		for (int i = 1; i <= 5; i++) {
			post("page-" + i, "{\"arr\":[" + i + "]}");
		}
		List<String> seen = new ArrayList<>();
		String after = "";
		int pages = 0;
		do {
			HttpResponse<String> response = get(this.port, "/api/transactions?limit=2&after=" + after);
			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode page = TestHttp.json(response);
			assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
			for (JsonNode item : page.get("items")) {
				seen.add(item.get("request_id").asString());
				assertThat(item.get("length").asInt()).isEqualTo(1);
				assertThat(item.has("input")).isFalse();
				assertThat(item.has("output")).isFalse();
			}
			after = page.path("next").isString() ? page.get("next").asString() : null;
			pages++;
		}
		while (after != null && pages < 10);
		assertThat(seen).containsExactly("page-5", "page-4", "page-3", "page-2", "page-1");
		assertThat(pages).isEqualTo(3);
		assertThat(get(this.port, "/api/transactions?limit=5").body()).contains("\"next\":null");
	}

	@Test
	void theDefaultPageHoldsTwenty() {
		for (int i = 0; i < 21; i++) {
			post("default-" + i, "{\"arr\":[]}");
		}
		JsonNode page = TestHttp.json(get(this.port, "/api/transactions"));
		assertThat(page.get("items").size()).isEqualTo(20);
		assertThat(page.get("next").asString()).isNotEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "101", "-1" })
	void aLimitOutside1To100Is400WithoutAskingTransactionApi(String limit) {
		int calls = transactions.readCalls();
		HttpResponse<String> response = get(this.port, "/api/transactions?limit=" + limit);
		assertProblem(response, 400);
		assertThat(TestHttp.json(response).get("detail").asString()).isEqualTo("limit must be between 1 and 100");
		assertThat(transactions.readCalls()).isEqualTo(calls);
	}

	@Test
	void aLimitThatIsNoNumberIs400() {
		assertProblem(get(this.port, "/api/transactions?limit=many"), 400);
	}

	@Test
	void aCursorTransactionApiRejectsIs400() {
		HttpResponse<String> response = get(this.port, "/api/transactions?after=not-a-cursor");
		assertProblem(response, 400);
		assertThat(TestHttp.json(response).get("detail").asString()).contains("page_token");
	}

	@Test
	void statsComeFromTransactionApi() {
		JsonNode empty = TestHttp.json(get(this.port, "/api/transactions/stats"));
		assertThat(empty.get("count").asLong()).isZero();
		assertThat(empty.path("first_received_at").isNull()).isTrue();
		assertThat(empty.path("last_received_at").isNull()).isTrue();

		Instant before = Instant.now();
		post("stats-1", "{\"arr\":[1]}");
		post("stats-2", "{\"arr\":[2]}");
		HttpResponse<String> response = get(this.port, "/api/transactions/stats");
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode stats = TestHttp.json(response);
		assertThat(stats.get("count").asLong()).isEqualTo(2);
		Instant first = Instant.parse(stats.get("first_received_at").asString());
		Instant last = Instant.parse(stats.get("last_received_at").asString());
		assertThat(first).isAfterOrEqualTo(before.minusMillis(1)).isBeforeOrEqualTo(last);
		assertThat(stats.get("count_by_pod").get("pod-under-test").asLong()).isEqualTo(2);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/transactions/x", "/api/transactions", "/api/transactions/stats" })
	void aHungTransactionApiIs503AfterTheReadTimeout(String path) {
		transactions.behave(Behaviour.HANG);
		long start = System.nanoTime();
		HttpResponse<String> response = get(this.port, path);
		long millis = (System.nanoTime() - start) / 1_000_000;
		assertUnavailable(response);
		assertThat(millis).isBetween(450L, 5_000L);
	}

	@Test
	void aStoppedTransactionApiIs503AndReadsWorkAgainOnceItIsBack() {
		post("survivor", "{\"arr\":[1]}");
		transactions.stop();
		for (String path : List.of("/api/transactions/survivor", "/api/transactions", "/api/transactions/stats")) {
			assertUnavailable(get(this.port, path));
		}
		transactions.restart();
		HttpResponse<String> response = await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> get(this.port, "/api/transactions/survivor"), (answer) -> answer.statusCode() != 503);
		assertThat(response.statusCode()).isEqualTo(200);
	}

	/** GET with the history credential. */
	private static HttpResponse<String> get(int port, String path) {
		return TestHttp.get(port, path, "Authorization", "Bearer " + HISTORY_TOKEN);
	}

	/**
	 * The first request on a cold JVM may miss the 500 ms delivery timeout set for the
	 * failure tests; a client retries a 503 with the same request id, as the API intends.
	 */
	private void post(String id, String body) {
		HttpResponse<String> response = null;
		for (int attempt = 0; attempt < 3 && (response == null || response.statusCode() == 503); attempt++) {
			response = postJson(this.port, "/api", body, "X-Request-Id", id);
		}
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
	}

	private static void assertUnavailable(HttpResponse<String> response) {
		JsonNode problem = assertProblem(response, 503);
		assertThat(response.headers().firstValue("Retry-After"))
			.hasValueSatisfying((seconds) -> assertThat(Integer.parseInt(seconds)).isPositive());
		assertThat(problem.get("detail").asString()).startsWith("transaction-api unavailable");
	}

}
