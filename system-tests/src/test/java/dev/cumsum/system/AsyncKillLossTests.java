package dev.cumsum.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a SIGKILL (or an OOM kill) of an async cumsum-api loses: the records it held,
 * buffered or in an unacknowledged call, and nothing else; no shutdown drain runs and
 * nothing is logged. The bound is the buffer's: at most buffer-capacity + max-in-flight x
 * max-batch-size records, and records of at most buffer-max-bytes (estimated heap bytes)
 * beyond the first. Here transaction-api is down, so every 200 is a held record: the test
 * fills the buffer and shows both budgets bound the 200s.
 */
class AsyncKillLossTests {

	private static final int CAPACITY = 40;

	private static final int IN_FLIGHT = 2;

	private static final int BATCH = 5;

	private static final int MAX_BYTES = 24 * 1024;

	@Test
	void aKillLosesAtMostWhatTheBufferBudgetsHold() throws Exception {
		int port = ServiceProcess.freePort();
		int management = ServiceProcess.freePort();
		// nothing listens on the gRPC port: every batch waits for a connection until its
		// deadline
		try (ServiceProcess api = ServiceProcess.cumsumApi(port, management, ServiceProcess.freePort(), "async",
				"--cumsum.delivery.buffer-capacity=" + CAPACITY, "--cumsum.delivery.max-in-flight=" + IN_FLIGHT,
				"--cumsum.delivery.max-batch-size=" + BATCH, "--cumsum.delivery.buffer-max-bytes=" + MAX_BYTES + "B",
				"--cumsum.delivery.timeout=1s")) {
			api.start().awaitReady(Duration.ofSeconds(90));
			ApiClient client = new ApiClient(port);

			// small records first: the record budget binds
			int accepted = 0;
			int refused = 0;
			for (int i = 0; i < 120; i++) {
				int status = client.post("{\"arr\":[1,2,3]}", "kill-small-" + i).statusCode();
				accepted += (status == 200) ? 1 : 0;
				refused += (status == 503) ? 1 : 0;
			}
			assertThat(accepted + refused).isEqualTo(120);
			assertThat(accepted).as("records taken (each lost by a kill now)")
				.isBetween(CAPACITY, CAPACITY + IN_FLIGHT * BATCH);
			double held = gauge(management, "cumsum_delivery_buffer_held_bytes");
			assertThat(held).isLessThanOrEqualTo(MAX_BYTES);
			api.kill();
			assertThat(api.output()).as("a kill leaves no trace").doesNotContain("LOST");

			// larger records: the byte budget binds long before the record count
			api.start().awaitReady(Duration.ofSeconds(90));
			String large = "{\"arr\":[" + "1,".repeat(400) + "1]}";
			int largeAccepted = 0;
			for (int i = 0; i < 60; i++) {
				largeAccepted += (client.post(large, "kill-large-" + i).statusCode() == 200) ? 1 : 0;
			}
			double largeHeld = gauge(management, "cumsum_delivery_buffer_held_bytes");
			double perRecord = largeHeld / largeAccepted;
			assertThat(perRecord).as("estimated heap bytes per record").isGreaterThan(4_000);
			assertThat(largeHeld).as("held, and lost by a kill").isLessThanOrEqualTo(MAX_BYTES);
			assertThat(largeAccepted).as("records taken under the byte budget")
				.isPositive()
				.isLessThanOrEqualTo((int) (MAX_BYTES / perRecord))
				.isLessThan(CAPACITY);
			api.kill();
			assertThat(api.isAlive()).isFalse();
		}
	}

	private static double gauge(int managementPort, String name) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
				.timeout(Duration.ofSeconds(5))
				.build(), HttpResponse.BodyHandlers.ofString());
		Matcher sample = Pattern.compile("^" + name + "\\{[^}]*\\} (\\S+)$", Pattern.MULTILINE)
			.matcher(response.body());
		assertThat(sample.find()).as(name).isTrue();
		return Double.parseDouble(sample.group(1));
	}

}
