package dev.cumsum.system;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local stack as a user runs it: transaction-api on its embedded store and cumsum-api
 * in strict mode, both as processes. A POST is read back through the public API, exactly.
 */
class EndToEndTests {

	@TempDir
	static Path data;

	static LocalStack stack;

	static ApiClient client;

	@BeforeAll
	static void start() throws Exception {
		stack = LocalStack.embedded(data, "strict");
		client = stack.client;
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.close();
		}
	}

	@Test
	void postedRequestIsReadBackExactly() throws Exception {
		HttpResponse<String> posted = client.post("{\"arr\":[9223372036854775807,1,0.5],\"mode\":\"np\"}", null);
		assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
		JsonNode body = ApiClient.json(posted);
		assertThat(body.get("data").toString())
			.isEqualTo("[9223372036854775807,9223372036854775808,9223372036854775808.5]");
		String id = body.get("request_id").asString();
		assertThat(posted.headers().firstValue("X-Request-Id")).hasValue(id);

		HttpResponse<String> stored = client.get("/api/transactions/" + id);
		assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
		JsonNode record = ApiClient.json(stored);
		assertThat(record.get("input").toString()).isEqualTo("[9223372036854775807,1,0.5]");
		assertThat(record.get("output").toString()).isEqualTo(body.get("data").toString());
		assertThat(record.get("mode").asString()).isEqualTo("np");
		assertThat(record.get("pod").asString()).isEqualTo("system-test");
		assertThat(record.get("length").asInt()).isEqualTo(3);
		assertThat(record.get("exec_ns").asLong()).isEqualTo(body.get("exec_ns").asLong());
	}

	@Test
	void readingTheHistoryNeedsTheTokenPostingDoesNot() throws Exception {
		HttpResponse<String> posted = client.post("{\"arr\":[2,2]}", "e2e-token-1");
		assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
		for (String path : java.util.List.of("/api/transactions/e2e-token-1", "/api/transactions?limit=1",
				"/api/transactions/stats")) {
			HttpResponse<String> none = client.getWith(path);
			assertThat(none.statusCode()).as(path).isEqualTo(401);
			assertThat(none.headers().firstValue("WWW-Authenticate")).as(path)
				.hasValue("Bearer realm=\"cumsum-history\"");
			assertThat(none.headers().firstValue("Content-Type")).as(path)
				.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(client.getWith(path, "Authorization", "Bearer wrong").statusCode()).as(path).isEqualTo(401);
			assertThat(client.get(path).statusCode()).as(path).isEqualTo(200);
		}
		assertThat(ApiClient.json(client.get("/api/transactions/e2e-token-1")).get("output").toString())
			.isEqualTo("[2,4]");
	}

	@Test
	void clientRequestIdIsTheIdempotencyKey() throws Exception {
		String id = "e2e-idempotent-1";
		for (int i = 0; i < 3; i++) {
			assertThat(client.post("{\"arr\":[1,2,3]}", id).statusCode()).isEqualTo(200);
		}
		JsonNode page = ApiClient.json(client.get("/api/transactions?limit=100"));
		long copies = 0;
		for (JsonNode item : page.get("items")) {
			copies += id.equals(item.get("request_id").asString()) ? 1 : 0;
		}
		assertThat(copies).isEqualTo(1);
		assertThat(ApiClient.json(client.get("/api/transactions/" + id)).get("output").toString()).isEqualTo("[1,3,6]");
	}

	@Test
	void incomingTraceContextIsRecordedForW3cAndJaegerHeaders() throws Exception {
		String w3cTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
		String jaegerTrace = "0af7651916cd43dd8448eb211c80319c";
		String w3cId = postWithHeader("traceparent", "00-" + w3cTrace + "-00f067aa0ba902b7-01");
		String jaegerId = postWithHeader("uber-trace-id", jaegerTrace + ":b7ad6b7169203331:0:1");
		assertThat(ApiClient.json(client.get("/api/transactions/" + w3cId)).get("trace_id").asString())
			.isEqualTo(w3cTrace);
		assertThat(ApiClient.json(client.get("/api/transactions/" + jaegerId)).get("trace_id").asString())
			.isEqualTo(jaegerTrace);
	}

	private static String postWithHeader(String name, String value) throws Exception {
		java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest
				.newBuilder(java.net.URI.create("http://127.0.0.1:" + stack.apiPort + "/api"))
				.header("Content-Type", "application/json")
				.header(name, value)
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"arr\":[1]}"))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return ApiClient.json(response).get("request_id").asString();
	}

	@Test
	void statsCountTheServingPod() throws Exception {
		assertThat(client.post("{\"arr\":[4]}", null).statusCode()).isEqualTo(200);
		JsonNode stats = ApiClient.json(client.get("/api/transactions/stats"));
		assertThat(stats.get("count").asLong()).isPositive();
		assertThat(stats.get("count_by_pod").get("system-test").asLong()).isPositive();
		assertThat(stats.get("first_received_at").asString()).isNotBlank();
	}

	@Test
	void historySurvivesARestartOfTransactionApi() throws Exception {
		HttpResponse<String> posted = client.post("{\"arr\":[7,8]}", "e2e-survives-restart");
		assertThat(posted.statusCode()).isEqualTo(200);
		assertThat(stack.transactions.terminate(Duration.ofSeconds(30))).isIn(0, 143);
		stack.transactions.start().awaitReady(LocalStack.READY);
		// ready is transaction-api's side; cumsum-api's channel reconnects on its own
		// schedule
		// and answers 503 (retry) until then, never 404
		HttpResponse<String> stored = Awaitility.await()
			.atMost(Duration.ofSeconds(20))
			.until(() -> client.get("/api/transactions/e2e-survives-restart"), (r) -> r.statusCode() != 503);
		assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
		assertThat(ApiClient.json(stored).get("output").toString()).isEqualTo("[7,15]");
	}

}
