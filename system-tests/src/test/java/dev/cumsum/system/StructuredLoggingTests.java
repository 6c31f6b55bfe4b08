package dev.cumsum.system;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logs as the chart configures them ({@code logging.structured.format.console=ecs}): one
 * JSON object per line carrying the trace id, span id and request id; request bodies
 * never appear. Without the property (local mode) the logs stay plain text.
 */
class StructuredLoggingTests {

	@Test
	void jsonLogLinesCarryTraceSpanAndRequestIdsButNoBodies() throws Exception {
		int port = ServiceProcess.freePort();
		try (ServiceProcess api = ServiceProcess.cumsumApi(port, ServiceProcess.freePort(), ServiceProcess.freePort(),
				"off", "--logging.structured.format.console=ecs",
				"--logging.level.dev.cumsum.api.cumsum.CumSumController=debug")) {
			api.start().awaitReady(Duration.ofSeconds(90));
			assertThat(new ApiClient(port).post("{\"arr\":[918273645,1]}", "logged-request-1").statusCode())
				.isEqualTo(200);

			JsonNode line = awaitLine(api, "logged-request-1");
			assertThat(line.get("traceId").asString()).matches("[0-9a-f]{32}");
			assertThat(line.get("spanId").asString()).matches("[0-9a-f]{16}");
			assertThat(line.get("request_id").asString()).isEqualTo("logged-request-1");
			assertThat(line.get("log").get("level").asString()).isEqualTo("DEBUG");
			assertThat(line.get("service").get("name").asString()).isEqualTo("cumsum-api");
			List<String> lines = api.output().lines().filter((l) -> l.startsWith("{")).toList();
			assertThat(lines).as("every log line is JSON").isNotEmpty();
			assertThat(api.output()).as("request bodies are not logged").doesNotContain("918273645");
		}
	}

	@Test
	void localModeLogsArePlainText() throws Exception {
		try (ServiceProcess api = ServiceProcess.cumsumApi(ServiceProcess.freePort(), ServiceProcess.freePort(),
				ServiceProcess.freePort(), "off")) {
			api.start().awaitReady(Duration.ofSeconds(90));
			assertThat(api.output()).contains("Started CumsumApiApplication").doesNotContain("\"@timestamp\"");
		}
	}

	private static JsonNode awaitLine(ServiceProcess api, String requestId) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (System.nanoTime() < deadline) {
			for (String line : api.output().lines().toList()) {
				if (line.startsWith("{") && line.contains("\"request_id\":\"" + requestId + "\"")) {
					return ApiClient.JSON.readTree(line);
				}
			}
			Thread.sleep(200);
		}
		throw new AssertionError("no JSON log line with request_id " + requestId + ":\n" + api.output());
	}

}
