package dev.cumsum.api.delivery;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.cumsum.api.TestHttp;
import dev.cumsum.api.TransactionServiceDouble.Behaviour;
import dev.cumsum.api.WithTransactionServiceDouble;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

import static dev.cumsum.api.TestHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Strict delivery through {@code POST /api} on a real port: what a client is told for
 * each way the history can fail ("not stored" only when certain, otherwise "outcome
 * unknown, retry with the same X-Request-Id"), a reused request id (409), no downstream
 * text in any answer, and a wait bounded by {@code cumsum.delivery.timeout} (500 ms here)
 * in all.
 */
class StrictDeliveryTests extends WithTransactionServiceDouble {

	private static final Duration TIMEOUT = Duration.ofMillis(500);

	@ParameterizedTest
	@EnumSource(
			names = { "UNAVAILABLE", "CANCELLED", "INTERNAL", "UNKNOWN", "RESOURCE_EXHAUSTED", "ABORTED", "DATA_LOSS" })
	void aFailureAfterTheRecordWasSentIsAnUnknownOutcome(Status.Code code) {
		transactions.failWith(code);
		HttpResponse<String> response = postJson(this.port, "/api", "{\"arr\":[1,2]}", "X-Request-Id",
				"unknown-" + code);

		JsonNode problem = assertProblem(response, 503);
		assertThat(problem.get("detail").asString())
			.contains("(" + code + ")", "may or may not be stored", "retry with the same X-Request-Id")
			.doesNotContain("could not store");
		assertThat(response.headers().firstValue("Retry-After")).contains("3");
	}

	@ParameterizedTest
	@EnumSource(names = { "INVALID_ARGUMENT", "FAILED_PRECONDITION", "PERMISSION_DENIED", "UNAUTHENTICATED",
			"UNIMPLEMENTED" })
	void aRejectionBeforeAnyWriteIsNotStored(Status.Code code) {
		transactions.failWith(code);
		HttpResponse<String> response = postJson(this.port, "/api", "{\"arr\":[1,2]}");

		JsonNode problem = assertProblem(response, 503);
		assertThat(problem.get("detail").asString())
			.contains("could not store the record (" + code + ")", "was not stored")
			.doesNotContain("may or may not");
	}

	@Test
	void aDeadlineAnsweredByTheHistoryIsAnUnknownOutcome() {
		transactions.failWith(Status.Code.DEADLINE_EXCEEDED);
		JsonNode problem = assertProblem(postJson(this.port, "/api", "{\"arr\":[1]}"), 503);
		assertThat(problem.get("detail").asString()).contains("did not acknowledge", "may or may not be stored");
	}

	@Test
	void aReusedRequestIdIs409AndNothingIsStored() {
		double conflicts = TestHttp.sample(this.managementPort, "cumsum_delivery_records_total", "delivery=\"strict\"",
				"result=\"conflict\"");
		transactions.conflictOn("reused-id");

		HttpResponse<String> response = postJson(this.port, "/api", "{\"arr\":[5,6]}", "X-Request-Id", "reused-id");

		JsonNode problem = assertProblem(response, 409);
		assertThat(problem.get("title").asString()).isEqualTo("Request id conflict");
		assertThat(problem.get("detail").asString()).contains("request id already used for a different request");
		assertThat(response.headers().firstValue("X-Request-Id")).contains("reused-id");
		assertThat(transactions.records()).doesNotContainKey("reused-id");
		assertThat(TestHttp.sample(this.managementPort, "cumsum_delivery_records_total", "delivery=\"strict\"",
				"result=\"conflict\""))
			.isEqualTo(conflicts + 1);
		// another id for the same body is fine
		assertThat(postJson(this.port, "/api", "{\"arr\":[5,6]}", "X-Request-Id", "fresh-id").statusCode())
			.isEqualTo(200);
	}

	/**
	 * Many requests at once while the history never answers: every client gets its 503
	 * within the timeout plus a small margin, whether its record was sent (outcome
	 * unknown) or still waited for a call slot (not stored).
	 */
	@Test
	void theWaitIsBoundedByTheTimeoutUnderConcurrentLoad() throws Exception {
		transactions.behave(Behaviour.HANG);
		// a first round, not measured: connections, and the classes of this path loaded
		burst(32, "warm-up-");
		List<Timed> measured = burst(32, "bounded-");
		for (Timed timed : measured) {
			JsonNode problem = assertProblem(timed.response(), 503);
			assertThat(problem.get("detail").asString()).containsAnyOf("may or may not be stored", "was not stored");
			assertThat(timed.took()).as("client-visible wait").isLessThan(TIMEOUT.plusSeconds(1));
		}
	}

	private List<Timed> burst(int clients, String prefix) throws Exception {
		List<Future<Timed>> answers = new ArrayList<>();
		List<Timed> timed = new ArrayList<>();
		try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
			for (int i = 0; i < clients; i++) {
				String id = prefix + i;
				answers.add(pool.submit(() -> {
					long start = System.nanoTime();
					HttpResponse<String> response = postJson(this.port, "/api", "{\"arr\":[1,2,3]}", "X-Request-Id",
							id);
					return new Timed(response, Duration.ofNanos(System.nanoTime() - start));
				}));
			}
			for (Future<Timed> answer : answers) {
				timed.add(answer.get());
			}
		}
		return timed;
	}

	/** A problem that names no host, address, driver or test double. */
	private static JsonNode assertProblem(HttpResponse<String> response, int status) {
		assertThat(response.body()).doesNotContain("127.0.0.1", "remote_addr", "localhost", "Mongo", "test double");
		return TestHttp.assertProblem(response, status);
	}

	private record Timed(HttpResponse<String> response, Duration took) {
	}

}
