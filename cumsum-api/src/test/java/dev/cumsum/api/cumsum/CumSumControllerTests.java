package dev.cumsum.api.cumsum;

import java.math.BigDecimal;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import dev.cumsum.api.TestHttp;
import dev.cumsum.api.TransactionServiceDouble.Behaviour;
import dev.cumsum.api.WithTransactionServiceDouble;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.Values;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static dev.cumsum.api.TestHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /api} over real HTTP, in strict delivery mode, against a gRPC test double
 * of transaction-api on a real loopback channel.
 */
class CumSumControllerTests extends WithTransactionServiceDouble {

	@ParameterizedTest
	@ValueSource(strings = { "/api", "/api/" })
	void answersTheCumulativeSumWithTheOldFieldsAndARequestId(String path) {
		long before = Instant.now().getEpochSecond();
		HttpResponse<String> response = postJson(this.port, path, "{\"arr\":[1,2,3],\"mode\":\"man\"}");
		long after = Instant.now().getEpochSecond();

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		JsonNode body = TestHttp.json(response);
		assertThat(body.get("message").asString()).isEqualTo("success");
		assertThat(response.body()).contains("\"data\":[1,3,6]");
		assertThat(body.get("exec_ns").isIntegralNumber()).isTrue();
		assertThat(body.get("exec_ns").asLong()).isNotNegative();
		assertThat(body.get("start_time").asLong()).isBetween(before, after);
		String id = body.get("request_id").asString();
		assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
		assertThat(response.headers().firstValue("X-Request-Id")).contains(id);
		assertThat(transactions.records()).containsKey(id);
	}

	/**
	 * Whichever route serves it ({@link ApiRequestFilter} directly, or Spring MVC for a
	 * path it normalises), a request this controller's mapping matches gets the answer.
	 */
	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "/api|application/json", "/api/|application/json;charset=UTF-8",
			"/api|Application/JSON", "/api;v=1|application/json" })
	void everyRequestTheMappingMatchesIsAnswered(String path, String contentType) {
		HttpResponse<String> response = TestHttp.post(this.port, path, contentType,
				BodyPublishers.ofString("{\"arr\":[1,2,3]}"));

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
		assertThat(response.body()).contains("\"data\":[1,3,6]");
		assertThat(transactions.records()).containsKey(TestHttp.json(response).get("request_id").asString());
	}

	@Test
	void generatedRequestIdsDiffer() {
		String first = postJson(this.port, "/api", "{\"arr\":[1]}").headers().firstValue("X-Request-Id").orElseThrow();
		String second = postJson(this.port, "/api", "{\"arr\":[1]}").headers().firstValue("X-Request-Id").orElseThrow();
		assertThat(first).isNotEqualTo(second);
		assertThat(transactions.records()).containsKeys(first, second);
	}

	@Test
	void aClientRequestIdIsTheRecordIdAndStoredOnceWhenSentTwice() {
		HttpResponse<String> first = postJson(this.port, "/api", "{\"arr\":[5,5]}", "X-Request-Id", "client-id:42");
		HttpResponse<String> second = postJson(this.port, "/api", "{\"arr\":[5,5]}", "X-Request-Id", "client-id:42");

		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(second.statusCode()).isEqualTo(200);
		assertThat(first.headers().firstValue("X-Request-Id")).contains("client-id:42");
		assertThat(TestHttp.json(second).get("request_id").asString()).isEqualTo("client-id:42");
		assertThat(transactions.records()).containsOnlyKeys("client-id:42");
		assertThat(transactions.batchSizes()).containsExactly(1, 1);
	}

	@Test
	void theRecordCarriesIntegersAsInts() {
		Instant before = Instant.now();
		postJson(this.port, "/api", "{\"arr\":[1,-2,9223372036854775807],\"mode\":\"np\"}", "X-Request-Id", "ints");
		Record record = transactions.records().get("ints");

		assertThat(record).isNotNull();
		assertThat(record.getMode()).isEqualTo("np");
		assertThat(record.getPod()).isEqualTo("pod-under-test");
		assertThat(record.getLength()).isEqualTo(3);
		assertThat(record.getInput().getKindCase()).isEqualTo(Values.KindCase.INTS);
		assertThat(record.getInput().getInts().getValuesList()).containsExactly(1L, -2L, Long.MAX_VALUE);
		assertThat(record.getOutput().getKindCase()).isEqualTo(Values.KindCase.INTS);
		assertThat(record.getOutput().getInts().getValuesList()).containsExactly(1L, -1L, Long.MAX_VALUE - 1);
		assertThat(record.getComputeNs()).isNotNegative();
		assertThat(Instant.ofEpochSecond(record.getReceivedAt().getSeconds(), record.getReceivedAt().getNanos()))
			.isBetween(before.minusMillis(1), Instant.now());
		assertThat(record.getTraceId()).matches("[0-9a-f]{32}");
	}

	@Test
	void theRecordCarriesDecimalsAsExactStrings() {
		HttpResponse<String> response = postJson(this.port, "/api", "{\"arr\":[0.1,0.2,1e2],\"mode\":\"man\"}",
				"X-Request-Id", "decimals");
		Record record = transactions.records().get("decimals");

		assertThat(response.body()).contains("\"data\":[0.1,0.3,100.3]");
		assertThat(record.getMode()).isEqualTo("man");
		assertThat(record.getLength()).isEqualTo(3);
		assertThat(record.getInput().getDecimals().getValuesList()).containsExactly("0.1", "0.2", "1E+2");
		assertThat(record.getOutput().getDecimals().getValuesList()).containsExactly("0.1", "0.3", "100.3");
	}

	@ParameterizedTest
	@ValueSource(strings = { "man", "np" })
	void overflowIsExactInTheAnswerAndTheRecord(String mode) {
		HttpResponse<String> response = postJson(this.port, "/api",
				"{\"arr\":[9223372036854775807,1],\"mode\":\"" + mode + "\"}", "X-Request-Id", "overflow-" + mode);
		Record record = transactions.records().get("overflow-" + mode);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"data\":[9223372036854775807,9223372036854775808]");
		assertThat(record.getInput().getInts().getValuesList()).containsExactly(Long.MAX_VALUE, 1L);
		assertThat(record.getOutput().getDecimals().getValuesList()).containsExactly("9223372036854775807",
				"9223372036854775808");
	}

	@Test
	void negativeOverflowAndAnEmptyArray() {
		assertThat(postJson(this.port, "/api", "{\"arr\":[-9223372036854775808,-1],\"mode\":\"np\"}").body())
			.contains("\"data\":[-9223372036854775808,-9223372036854775809]");
		HttpResponse<String> empty = postJson(this.port, "/api", "{\"arr\":[]}", "X-Request-Id", "empty");
		assertThat(empty.statusCode()).isEqualTo(200);
		assertThat(empty.body()).contains("\"data\":[]");
		assertThat(transactions.records().get("empty").getLength()).isZero();
	}

	@Test
	void bothModesAnswerTheReferenceForALargeArray() {
		long[] values = new long[20_000];
		StringBuilder arr = new StringBuilder("[");
		for (int i = 0; i < values.length; i++) {
			values[i] = (i % 3 == 0) ? Long.MAX_VALUE / 7 : -i;
			arr.append((i == 0) ? "" : ",").append(values[i]);
		}
		arr.append(']');
		List<BigDecimal> expected = List.of(CumSumReference.of(values));
		assertThat(TestHttp.data(postRetrying("{\"arr\":" + arr + ",\"mode\":\"man\"}", "large-man")))
			.isEqualTo(expected);
		assertThat(TestHttp.data(postRetrying("{\"mode\":\"np\",\"arr\":" + arr + "}", "large-np")))
			.isEqualTo(expected);
		// the running sum leaves the long range: the record holds exact decimal strings
		assertThat(transactions.records().get("large-np").getOutput().getDecimals().getValuesList())
			.isEqualTo(expected.stream().map(BigDecimal::toString).toList());
	}

	/**
	 * A large first request on a cold JVM may miss the 500 ms delivery timeout set here
	 * for the failure tests; a client retries a 503 with the same request id, as the API
	 * intends.
	 */
	private HttpResponse<String> postRetrying(String body, String requestId) {
		HttpResponse<String> response = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			response = postJson(this.port, "/api", body, "X-Request-Id", requestId);
			if (response.statusCode() != 503) {
				return response;
			}
		}
		return response;
	}

	@Test
	void strictModeAnswers503WithRetryAfterWhenTheHistoryFailsAndRecovers() {
		transactions.behave(Behaviour.UNAVAILABLE);
		HttpResponse<String> failed = postJson(this.port, "/api", "{\"arr\":[1,2]}", "X-Request-Id", "down-1");

		assertUnavailable(failed);
		// the call reached transaction-api: its insert may have committed
		assertThat(TestHttp.json(failed).get("detail").asString()).contains("may or may not be stored",
				"retry with the same X-Request-Id");
		assertThat(failed.headers().firstValue("X-Request-Id")).contains("down-1");
		assertThat(transactions.records()).isEmpty();

		transactions.behave(Behaviour.NORMAL);
		HttpResponse<String> recovered = postJson(this.port, "/api", "{\"arr\":[1,2]}", "X-Request-Id", "down-1");
		assertThat(recovered.statusCode()).isEqualTo(200);
		assertThat(transactions.records()).containsOnlyKeys("down-1");
	}

	@Test
	void strictModeAnswers503WhenTheHistoryNeverAnswersAndRecovers() {
		transactions.behave(Behaviour.HANG);
		long start = System.nanoTime();
		HttpResponse<String> failed = postJson(this.port, "/api", "{\"arr\":[1,2]}");
		Duration waited = Duration.ofNanos(System.nanoTime() - start);

		assertUnavailable(failed);
		assertThat(TestHttp.json(failed).get("detail").asString()).contains("did not acknowledge", "within 500 ms");
		assertThat(waited).isBetween(Duration.ofMillis(450), Duration.ofSeconds(3));

		transactions.behave(Behaviour.NORMAL);
		HttpResponse<String> recovered = postJson(this.port, "/api", "{\"arr\":[1,2]}", "X-Request-Id", "after-hang");
		assertThat(recovered.statusCode()).isEqualTo(200);
		assertThat(transactions.records()).containsKey("after-hang");
	}

	@Test
	void strictModeAnswers503WhenTheHistoryIsDownAndRecoversWhenItIsBack() {
		transactions.stop();
		try {
			assertUnavailable(postJson(this.port, "/api", "{\"arr\":[3]}"));
		}
		finally {
			transactions.restart();
		}
		// the channel reconnects with backoff: the service answers 503 until then, never
		// fails otherwise
		HttpResponse<String> response = await().atMost(Duration.ofSeconds(15))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> postJson(this.port, "/api", "{\"arr\":[3]}", "X-Request-Id", "back"),
					(answer) -> answer.statusCode() != 503);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(transactions.records()).containsKey("back");
	}

	static void assertUnavailable(HttpResponse<String> response) {
		TestHttp.assertProblem(response, 503);
		assertThat(response.headers().firstValue("Retry-After")).contains("3");
	}

}
