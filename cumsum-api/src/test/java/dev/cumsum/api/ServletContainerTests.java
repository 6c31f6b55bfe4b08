package dev.cumsum.api;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the servlet container does with connections, over raw HTTP/1.1 on a real port: a
 * client keeps one connection for any number of requests (closing it every N requests
 * costs a reconnect under load, and Tomcat's default was 100); a request refused before
 * its body was read gets its answer, and its connection stays usable (the rest of the
 * body, within the limit, is discarded after the answer); and a body declared over the
 * limit gets its 413 at once, after which the server closes the connection instead of
 * waiting for the rest of it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "cumsum.delivery.mode=off" })
class ServletContainerTests {

	private static final String BODY = "{\"arr\":[1,2,3],\"mode\":\"man\"}";

	@LocalServerPort
	int port;

	@Test
	void oneConnectionServesManyRequests() throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = new BufferedInputStream(socket.getInputStream());
			byte[] request = ("POST /api HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
					+ "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY)
				.getBytes(StandardCharsets.US_ASCII);
			for (int i = 1; i <= 300; i++) {
				out.write(request);
				out.flush();
				Response response = Response.read(in);
				assertThat(response.status()).as("request %d", i).isEqualTo(200);
				assertThat(response.body()).as("request %d", i).contains("[1,3,6]");
				assertThat(response.header("connection")).as("request %d", i).isNotEqualToIgnoringCase("close");
			}
		}
	}

	@Test
	void aRequestRefusedBeforeItsBodyWasReadIsAnsweredAndTheConnectionKept() throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = new BufferedInputStream(socket.getInputStream());
			// an invalid request id is refused before the body is read; 512 KiB of body
			// is far more than the container discards by itself
			String body = "{\"arr\":[" + " ".repeat(512 * 1024) + "1]}";
			out.write(("POST /api HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
					+ "X-Request-Id: not/valid\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			Response refused = Response.read(in);
			assertThat(refused.status()).isEqualTo(400);
			assertThat(refused.header("content-type")).startsWith("application/problem+json");
			assertThat(refused.body()).contains("X-Request-Id");
			assertThat(refused.header("connection")).isNotEqualToIgnoringCase("close");

			out.write(("POST /api HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
					+ "Content-Length: " + BODY.length() + "\r\n\r\n" + BODY)
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			Response next = Response.read(in);
			assertThat(next.status()).isEqualTo(200);
			assertThat(next.body()).contains("[1,3,6]");
		}
	}

	@Test
	void aBodyOverTheLimitIsAnsweredAndTheConnectionClosed() throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(20_000);
			OutputStream out = socket.getOutputStream();
			InputStream in = new BufferedInputStream(socket.getInputStream());
			// declares 3 MiB (more than the twice the limit the server would discard),
			// sends 64 KiB of it: the answer must not wait for the rest
			out.write(("POST /api HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
					+ "Content-Length: " + (3 * 1024 * 1024) + "\r\n\r\n{\"arr\":[" + " ".repeat(64 * 1024))
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			Response response = Response.read(in);
			assertThat(response.status()).isEqualTo(413);
			assertThat(response.header("content-type")).startsWith("application/problem+json");
			assertThat(in.read()).as("the server closed the connection").isEqualTo(-1);
		}
	}

	/** One HTTP/1.1 response: Content-Length or chunked. */
	private record Response(int status, Map<String, String> headers, String body) {

		String header(String name) {
			return this.headers.get(name);
		}

		static Response read(InputStream in) throws IOException {
			String statusLine = TestHttp.readLine(in);
			if (statusLine.isEmpty()) {
				throw new AssertionError("the connection ended without an answer");
			}
			int status = Integer.parseInt(statusLine.split(" ")[1]);
			Map<String, String> headers = new HashMap<>();
			for (String line = TestHttp.readLine(in); !line.isEmpty(); line = TestHttp.readLine(in)) {
				int colon = line.indexOf(':');
				headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
						line.substring(colon + 1).strip());
			}
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				for (int size = Integer.parseInt(TestHttp.readLine(in), 16); size > 0; size = Integer
					.parseInt(TestHttp.readLine(in), 16)) {
					body.write(in.readNBytes(size));
					TestHttp.readLine(in);
				}
				TestHttp.readLine(in);
			}
			else {
				body.write(in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0"))));
			}
			return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
		}

	}

}
