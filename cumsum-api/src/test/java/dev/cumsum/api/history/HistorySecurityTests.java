package dev.cumsum.api.history;

import java.net.http.HttpResponse;
import java.util.List;

import dev.cumsum.api.TestHttp;
import dev.cumsum.api.WithTransactionServiceDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reading the history needs the bearer token; nothing else does. Real HTTP on the API
 * port and the management port.
 */
class HistorySecurityTests extends WithTransactionServiceDouble {

	private static final List<String> HISTORY = List.of("/api/transactions/some-id", "/api/transactions",
			"/api/transactions?limit=5", "/api/transactions/stats", "/api/transactions/");

	@ParameterizedTest
	@ValueSource(strings = { "/api/transactions/some-id", "/api/transactions", "/api/transactions?limit=5",
			"/api/transactions/stats", "/api/transactions/" })
	void withoutACredentialIs401WithAChallengeAndNoTransactionApiCall(String path) {
		int reads = transactions.readCalls();

		HttpResponse<String> response = TestHttp.get(this.port, path);

		assertUnauthorized(response);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"cumsum-history\"");
		assertThat(transactions.readCalls()).isEqualTo(reads);
	}

	@Test
	void aWrongTokenOrAnotherSchemeIs401() {
		for (String path : HISTORY) {
			HttpResponse<String> wrong = TestHttp.get(this.port, path, "Authorization", "Bearer not-the-token");
			assertUnauthorized(wrong);
			assertThat(wrong.headers().firstValue("WWW-Authenticate"))
				.hasValue("Bearer realm=\"cumsum-history\", error=\"invalid_token\"");
			// a prefix of the token, and the token as basic credentials, are not the
			// token
			assertUnauthorized(TestHttp.get(this.port, path, "Authorization",
					"Bearer " + HISTORY_TOKEN.substring(0, HISTORY_TOKEN.length() - 1)));
			assertUnauthorized(TestHttp.get(this.port, path, "Authorization", "Basic " + java.util.Base64.getEncoder()
				.encodeToString(("history:" + HISTORY_TOKEN).getBytes(java.nio.charset.StandardCharsets.UTF_8))));
		}
	}

	@Test
	void theRightTokenReadsAndNoSessionIsCreated() {
		// the first request of a cold JVM can miss this context's 500 ms delivery timeout
		TestHttp.postJson(this.port, "/api", "{\"arr\":[0]}");
		assertThat(TestHttp.postJson(this.port, "/api", "{\"arr\":[1,2]}", "X-Request-Id", "secured-1").statusCode())
			.isEqualTo(200);

		HttpResponse<String> record = TestHttp.get(this.port, "/api/transactions/secured-1", "Authorization",
				"Bearer " + HISTORY_TOKEN);
		HttpResponse<String> stats = TestHttp.get(this.port, "/api/transactions/stats", "authorization",
				"bearer " + HISTORY_TOKEN);
		HttpResponse<String> absent = TestHttp.get(this.port, "/api/transactions/absent", "Authorization",
				"Bearer " + HISTORY_TOKEN);

		assertThat(record.statusCode()).as(record.body()).isEqualTo(200);
		assertThat(TestHttp.json(record).get("output").toString()).isEqualTo("[1,3]");
		assertThat(stats.statusCode()).isEqualTo(200);
		assertThat(absent.statusCode()).isEqualTo(404);
		for (HttpResponse<String> response : List.of(record, stats, absent)) {
			assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
		}
	}

	@Test
	void postApiNeedsNoCredentialAndCreatesNoSession() {
		// the first request of a cold JVM can miss this context's 500 ms delivery timeout
		TestHttp.postJson(this.port, "/api", "{\"arr\":[0]}");
		HttpResponse<String> response = TestHttp.postJson(this.port, "/api", "{\"arr\":[1,2,3]}");

		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
		assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
		// a wrong credential on the API is ignored, not rejected
		assertThat(TestHttp.postJson(this.port, "/api", "{\"arr\":[1]}", "Authorization", "Bearer wrong").statusCode())
			.isEqualTo(200);
	}

	@Test
	void actuatorEndpointsOnTheManagementPortStayOpen() {
		for (String path : List.of("/actuator/health/liveness", "/actuator/health/readiness", "/actuator/prometheus",
				"/actuator/health")) {
			HttpResponse<String> response = TestHttp.get(this.managementPort, path);
			assertThat(response.statusCode()).as(path).isEqualTo(200);
			assertThat(response.headers().allValues("Set-Cookie")).as(path).isEmpty();
		}
	}

	private static void assertUnauthorized(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
		assertThat(response.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		JsonNode problem = TestHttp.json(response);
		assertThat(problem.get("status").asInt()).isEqualTo(401);
		assertThat(problem.get("title").asString()).isEqualTo("Unauthorized");
		assertThat(problem.get("detail").asString()).isNotBlank().doesNotContain(HISTORY_TOKEN);
		assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
	}

}
