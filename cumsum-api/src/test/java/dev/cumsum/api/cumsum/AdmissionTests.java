package dev.cumsum.api.cumsum;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.cumsum.api.TestHttp;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.cumsum.api.TestHttp.assertProblem;
import static dev.cumsum.api.TestHttp.chunk;
import static dev.cumsum.api.TestHttp.postJson;
import static dev.cumsum.api.TestHttp.readLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Admission control on a real port with small budgets (1 MiB of cost, 3 requests): a
 * request the budgets cannot take now is 503 with Retry-After at once and counted as
 * {@code overloaded}; one that no budget could ever take, or whose answer would be out of
 * proportion to its body, is 413. Requests are held in flight by sending their headers
 * and not their body, so the budgets are full for certain when the next request comes.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "cumsum.delivery.mode=off", "cumsum.admission.max-cost=1MB",
				"cumsum.admission.max-requests=3", "cumsum.admission.retry-after=2s" })
class AdmissionTests {

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Test
	void aResultOutOfProportionToItsBodyIs413() {
		// 6 bytes per element, 2,000 digits per element in the result: 333 digits per
		// body byte
		String body = "{\"arr\":[1e-999," + String.join(",", Collections.nCopies(50, "1e999")) + "]}";
		HttpResponse<String> response = postJson(this.port, "/api", body);

		JsonNode problem = assertProblem(response, 413);
		assertThat(problem.get("detail").asString()).contains("more than 16 per byte of the request body");
		// the same numbers in proportion: a few of them
		assertThat(postJson(this.port, "/api", "{\"arr\":[1e-9,1e9,1e9]}").statusCode()).isEqualTo(200);
	}

	@Test
	void aRequestNoBudgetCouldEverTakeIs413() {
		// 300 KB of body alone costs 1.2 MB by the estimate: more than the whole 1 MiB
		// budget
		String body = "{\"arr\":[" + " ".repeat(300_000) + "1]}";
		JsonNode problem = assertProblem(postJson(this.port, "/api", body), 413);
		assertThat(problem.get("detail").asString()).contains("more than this instance admits at once (1 MiB)");
	}

	@Test
	void beyondTheCostBudgetIs503AtOnceAndCountedAsOverloaded() throws Exception {
		double overloaded = overloaded();
		// 150 KB declared: 600 KB of the budget reserved until the request ends
		try (Socket held = holdRequest(150_000)) {
			awaitInFlight(1);
			String body = "{\"arr\":[" + " ".repeat(150_000) + "1]}";
			HttpResponse<String> response = postJson(this.port, "/api", body);

			JsonNode problem = assertProblem(response, 503);
			assertThat(problem.get("title").asString()).isEqualTo("Overloaded");
			assertThat(problem.get("detail").asString()).contains("not enough of its memory budget is free");
			assertThat(response.headers().firstValue("Retry-After")).contains("2");
			// small requests still fit beside the held one
			assertThat(postJson(this.port, "/api", "{\"arr\":[1,2]}").statusCode()).isEqualTo(200);
		}
		awaitInFlight(0);
		assertThat(postJson(this.port, "/api", "{\"arr\":[" + " ".repeat(150_000) + "1]}").statusCode()).isEqualTo(200);
		assertThat(overloaded()).isEqualTo(overloaded + 1);
		assertThat(TestHttp.sample(this.managementPort, "cumsum_admission_cost_bytes")).isZero();
		assertThat(TestHttp.sample(this.managementPort, "cumsum_admission_cost_budget_bytes")).isEqualTo(1 << 20);
	}

	@Test
	void beyondTheRequestBudgetIs503AtOnce() throws Exception {
		double overloaded = overloaded();
		List<Socket> held = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				held.add(holdRequest(100));
			}
			awaitInFlight(3);
			JsonNode problem = assertProblem(postJson(this.port, "/api", "{\"arr\":[1]}"), 503);
			assertThat(problem.get("detail").asString()).contains("3 requests are in flight");
		}
		finally {
			for (Socket socket : held) {
				socket.close();
			}
		}
		awaitInFlight(0);
		assertThat(postJson(this.port, "/api", "{\"arr\":[1]}").statusCode()).isEqualTo(200);
		assertThat(overloaded()).isEqualTo(overloaded + 1);
		assertThat(TestHttp.sample(this.managementPort, "cumsum_admission_requests_budget")).isEqualTo(3);
	}

	/**
	 * A chunked body has no length to reserve by: its cost is reserved as it arrives, and
	 * refused the same way.
	 */
	@Test
	void aChunkedBodyIsReservedAsItArrives() throws Exception {
		try (Socket held = holdRequest(150_000)) {
			awaitInFlight(1);
			try (Socket chunked = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
				chunked.setSoTimeout(20_000);
				StringBuilder request = new StringBuilder("POST /api HTTP/1.1\r\nHost: 127.0.0.1\r\n"
						+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
				request.append(chunk("{\"arr\":["));
				for (int i = 0; i < 12; i++) {
					request.append(chunk(" ".repeat(16_000)));
				}
				request.append(chunk("1]}")).append("0\r\n\r\n");
				chunked.getOutputStream().write(request.toString().getBytes(StandardCharsets.US_ASCII));
				assertThat(readLine(chunked.getInputStream())).startsWith("HTTP/1.1 503");
			}
		}
	}

	private Socket holdRequest(int contentLength) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port);
		socket.getOutputStream()
			.write(("POST /api HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
					+ contentLength + "\r\n\r\n{")
				.getBytes(StandardCharsets.US_ASCII));
		socket.getOutputStream().flush();
		return socket;
	}

	private void awaitInFlight(int requests) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> TestHttp.sample(this.managementPort, "cumsum_admission_requests") == requests);
	}

	private double overloaded() {
		return TestHttp.samples(this.managementPort, "cumsum_requests_total")
			.entrySet()
			.stream()
			.filter((sample) -> sample.getKey().contains("outcome=\"overloaded\""))
			.mapToDouble(java.util.Map.Entry::getValue)
			.sum();
	}

}
