package dev.cumsum.api.cumsum;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.cumsum.api.TestHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static dev.cumsum.api.TestHttp.chunk;
import static dev.cumsum.api.TestHttp.postJson;
import static dev.cumsum.api.TestHttp.readLine;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Bodies, headers and methods an attacker or a broken client sends to {@code /api}: each
 * gets the right 4xx as {@code application/problem+json} with a detail that says what is
 * wrong, never a 5xx, and the service keeps answering. Delivery is off: this is about the
 * request path.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "cumsum.delivery.mode=off", "cumsum.limits.max-elements=1000",
				"cumsum.limits.max-result-digits=20000",
				// the absolute cap on its own here; the per-body-byte cap: AdmissionTests
				"cumsum.limits.max-result-digits-per-body-byte=1000" })
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTests {

	private static final int MIB = 1024 * 1024;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	static Stream<Arguments> badBodies() {
		return Stream.of(arguments("{\"arr\":[1,2", "malformed JSON"), arguments("", "request body is empty"),
				arguments("   ", "request body is empty"), arguments("null", "must be a JSON object"),
				arguments("[]", "must be a JSON object"), arguments("[1,2,3]", "must be a JSON object"),
				arguments("\"x\"", "must be a JSON object"), arguments("42", "must be a JSON object"),
				arguments("{}", "missing field \"arr\""), arguments("{\"mode\":\"np\"}", "missing field \"arr\""),
				arguments("{\"arr\":null}", "\"arr\" must be an array of numbers, was null"),
				arguments("{\"arr\":\"1,2\"}", "\"arr\" must be an array of numbers, was a string"),
				arguments("{\"arr\":{}}", "\"arr\" must be an array of numbers, was an object"),
				arguments("{\"arr\":[1,\"2\"]}", "arr[1] must be a number, was a string"),
				arguments("{\"arr\":[true]}", "arr[0] must be a number, was a boolean"),
				arguments("{\"arr\":[null]}", "arr[0] must be a number, was null"),
				arguments("{\"arr\":[[1]]}", "arr[0] must be a number, was a nested array"),
				arguments("{\"arr\":[1.5,{}]}", "arr[1] must be a number, was an object"),
				arguments("NaN", "malformed JSON"), arguments("{\"arr\":[NaN]}", "NaN"),
				arguments("{\"arr\":[Infinity]}", "Infinity"), arguments("{\"arr\":[-Infinity]}", "Infinity"),
				arguments("{\"arr\":[01]}", "eading zero"), arguments("{\"arr\":[-01]}", "eading zero"),
				arguments("{\"arr\":[1.]}", "malformed JSON"), arguments("{\"arr\":[.5]}", "malformed JSON"),
				arguments("{\"arr\":[0x10]}", "malformed JSON"), arguments("{\"arr\":[1,]}", "malformed JSON"),
				arguments("{\"arr\":[1],\"mode\":\"fast\"}", "mode must be \"man\" or \"np\", was \"fast\""),
				arguments("{\"arr\":[1],\"mode\":\"MAN\"}", "mode must be \"man\" or \"np\", was \"MAN\""),
				arguments("{\"arr\":[1],\"mode\":1}", "\"mode\" must be the string \"man\" or \"np\""),
				arguments("{\"arr\":[1],\"mode\":null}", "\"mode\" must be the string \"man\" or \"np\""),
				arguments("{\"arr\":[1],\"arr\":[2]}", "Duplicate"),
				arguments("{\"arr\":[1],\"mode\":\"np\",\"mode\":\"man\"}", "Duplicate"),
				arguments("{\"arr\":[1],\"extra\":true}", "unknown field \"extra\""),
				arguments("{\"arr\":[1]} x", "malformed JSON"),
				arguments("{\"arr\":[1]}{}", "unexpected content after the JSON object"),
				arguments("{\"arr\":[1]},", "malformed JSON"),
				arguments("{\"arr\":[1e999999]}", "arr[0] is outside the supported range"),
				arguments("{\"arr\":[1,-1e999999]}", "arr[1] is outside the supported range"),
				arguments("{\"arr\":[1e-999999]}", "arr[0] is outside the supported range"),
				arguments("{\"arr\":[" + "9".repeat(1001) + "]}", "JSON exceeds a parser limit"),
				arguments("{\"arr\":[\"" + "x".repeat(100_000) + "\"]}", "arr[0] must be a number, was a string"));
	}

	@ParameterizedTest
	@MethodSource("badBodies")
	void aBadBodyIs400WithAProblemSayingWhy(String body, String detail) {
		assertProblem(postJson(this.port, "/api", body), 400, detail);
	}

	/**
	 * An exponent beyond int: BigDecimal cannot even represent it; Jackson throws
	 * NumberFormatException.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "1e99999999999", "-1e99999999999", "1e-99999999999", "1.5E+2147483648" })
	void anExponentBeyondIntIs400(String number) {
		assertProblem(postJson(this.port, "/api", "{\"arr\":[1," + number + "]}"), 400,
				"arr[1] is outside the supported range");
	}

	@Test
	void aBodyOverOneMebibyteIs413() {
		String body = "{\"arr\":[" + " ".repeat(MIB) + "1]}";
		assertProblem(postJson(this.port, "/api", body), 413, "request body is larger than 1048576 bytes");
	}

	@Test
	void aBodyOfExactlyTheLimitIsAccepted() {
		String head = "{\"arr\":[";
		String tail = "1]}";
		String body = head + " ".repeat(MIB - head.length() - tail.length()) + tail;
		assertThat(body).hasSize(MIB);
		assertThat(postJson(this.port, "/api", body).statusCode()).isEqualTo(200);
	}

	@Test
	void aChunkedBodyOverOneMebibyteIs413() {
		byte[] head = "{\"arr\":[".getBytes(StandardCharsets.US_ASCII);
		byte[] spaces = new byte[MIB + MIB / 2];
		Arrays.fill(spaces, (byte) ' ');
		// ofInputStream has no length: HttpClient sends Transfer-Encoding: chunked
		HttpRequest.BodyPublisher chunked = HttpRequest.BodyPublishers.ofInputStream(
				() -> new SequenceInputStream(new ByteArrayInputStream(head), new ByteArrayInputStream(spaces)));
		assertThat(chunked.contentLength()).isNegative();
		assertProblem(TestHttp.post(this.port, "/api", "application/json", chunked), 413,
				"request body is larger than 1048576 bytes");
	}

	/** A client that never stops sending: the answer comes while it is still writing. */
	@Test
	void anEndlessChunkedBodyIs413() throws Exception {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /api HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
					+ "Transfer-Encoding: chunked\r\n\r\n" + chunk("{\"arr\":["))
				.getBytes(StandardCharsets.US_ASCII));
			byte[] spaces = chunk(" ".repeat(64 * 1024)).getBytes(StandardCharsets.US_ASCII);
			CompletableFuture<Long> written = CompletableFuture.supplyAsync(() -> {
				long bytes = 0;
				try {
					// bounded: 64 MiB, far beyond the 1 MiB limit (the container must not
					// read it all)
					while (bytes < 64L * MIB) {
						out.write(spaces);
						bytes += spaces.length;
					}
				}
				catch (IOException closedByServer) {
					// expected once the server gave up on the body
				}
				return bytes;
			});
			String statusLine = readLine(socket.getInputStream());
			assertThat(statusLine).startsWith("HTTP/1.1 413");
			assertThat(written.get(20, TimeUnit.SECONDS)).isLessThan(64L * MIB);
		}
	}

	/**
	 * The declared length alone decides: the answer comes before any of the body was
	 * sent.
	 */
	@Test
	void aContentLengthOverTheLimitIs413BeforeReading() throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(20_000);
			socket.getOutputStream()
				.write(("POST /api HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
						+ "Content-Length: " + (2L * MIB) + "\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			assertThat(readLine(socket.getInputStream())).startsWith("HTTP/1.1 413");
		}
	}

	@Test
	void moreElementsThanTheLimitIs413() {
		assertThat(postJson(this.port, "/api", arrayOf(1000, "7")).statusCode()).isEqualTo(200);
		assertProblem(postJson(this.port, "/api", arrayOf(1001, "7")), 413, "\"arr\" has more than 1000 elements");
		assertProblem(postJson(this.port, "/api", arrayOf(1001, "0.5")), 413, "\"arr\" has more than 1000 elements");
	}

	@Test
	void aResultWithTooManyDigitsIs413() {
		// 10 x 1e900: at most 10 x 903 digits, within 20,000; 100 x 1e900 would be about
		// 90,400
		assertThat(postJson(this.port, "/api", arrayOf(10, "1e900")).statusCode()).isEqualTo(200);
		assertProblem(postJson(this.port, "/api", arrayOf(100, "1e900")), 413, "more than 20000 digits");
	}

	@ParameterizedTest
	@ValueSource(strings = { "text/plain", "application/x-www-form-urlencoded", "application/xml" })
	void aNonJsonContentTypeIs415(String type) {
		HttpResponse<String> response = TestHttp.post(this.port, "/api", type,
				HttpRequest.BodyPublishers.ofString("{\"arr\":[1]}"));
		assertProblem(response, 415, type);
		assertThat(response.headers().firstValue("Accept"))
			.hasValueSatisfying((accept) -> assertThat(accept).contains("application/json"));
	}

	@Test
	void aMissingContentTypeIs415() {
		HttpResponse<String> response = TestHttp.post(this.port, "/api", null,
				HttpRequest.BodyPublishers.ofString("{\"arr\":[1]}"));
		assertThat(response.statusCode()).isEqualTo(415);
		assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
	}

	@ParameterizedTest
	@ValueSource(strings = { "GET", "PUT", "DELETE", "PATCH" })
	void otherMethodsAre405WithAllowPost(String method) {
		for (String path : new String[] { "/api", "/api/" }) {
			HttpResponse<String> response = TestHttp.method(this.port, method, path);
			assertProblem(response, 405, method);
			assertThat(response.headers().firstValue("Allow")).contains("POST");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "has space", "semi;colon", "slash/", "é" })
	void anInvalidRequestIdIs400(String id) {
		HttpResponse<String> response = postJson(this.port, "/api", "{\"arr\":[1]}", "X-Request-Id", id);
		assertProblem(response, 400, "X-Request-Id must be 1 to 128 characters");
		assertThat(response.headers().firstValue("X-Request-Id")).isEmpty();
	}

	@Test
	void aRequestIdOf129CharactersIs400And128IsFine() {
		assertProblem(postJson(this.port, "/api", "{\"arr\":[1]}", "X-Request-Id", "a".repeat(129)), 400,
				"X-Request-Id");
		HttpResponse<String> ok = postJson(this.port, "/api", "{\"arr\":[1]}", "X-Request-Id", "a".repeat(128));
		assertThat(ok.statusCode()).isEqualTo(200);
		assertThat(ok.headers().firstValue("X-Request-Id")).contains("a".repeat(128));
	}

	@Test
	void errorsEchoTheRequestId() {
		HttpResponse<String> response = postJson(this.port, "/api", "{}", "X-Request-Id", "broken-client-1");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.headers().firstValue("X-Request-Id")).contains("broken-client-1");
	}

	/**
	 * After everything above: still up, still exact, and no request was counted as a
	 * server error.
	 */
	@AfterAll
	void theServiceStaysUpAndNothingWasA5xx() {
		HttpResponse<String> response = postJson(this.port, "/api", "{\"arr\":[9223372036854775807,1]}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("[9223372036854775807,9223372036854775808]");
		Map<String, Double> counts = TestHttp.samples(this.managementPort, "cumsum_requests_total");
		assertThat(counts).isNotEmpty();
		counts.forEach((labels, value) -> {
			if (labels.contains("outcome=\"server_error\"") || labels.contains("outcome=\"unavailable\"")) {
				assertThat(value).as(labels).isZero();
			}
		});
		assertThat(TestHttp.sample(this.managementPort, "cumsum_requests_total", "mode=\"invalid\"",
				"outcome=\"client_error\""))
			.isGreaterThan(40);
	}

	static void assertProblem(HttpResponse<String> response, int status, String detail) {
		assertThat(TestHttp.assertProblem(response, status).get("detail").asString()).contains(detail);
	}

	private static String arrayOf(int n, String value) {
		return "{\"arr\":[" + String.join(",", java.util.Collections.nCopies(n, value)) + "]}";
	}

}
