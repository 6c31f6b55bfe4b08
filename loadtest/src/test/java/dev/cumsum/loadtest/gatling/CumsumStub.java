package dev.cumsum.loadtest.gatling;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tiny stand-in for cumsum-api on 127.0.0.1 that implements the {@code POST /api}
 * contract, so the simulation's checks can be tested without the real service.
 * {@code wrongLast} makes it answer with a wrong last element, to prove the checks catch
 * it.
 */
final class CumsumStub implements AutoCloseable {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpServer server;

	private final AtomicInteger requests = new AtomicInteger();

	CumsumStub(boolean wrongLast) throws IOException {
		server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
		server.setExecutor(Executors.newFixedThreadPool(4));
		server.createContext("/api", exchange -> {
			requests.incrementAndGet();
			try (exchange) {
				if (!"POST".equals(exchange.getRequestMethod())) {
					exchange.sendResponseHeaders(405, -1);
					return;
				}
				JsonNode arr = JSON.readTree(exchange.getRequestBody()).get("arr");
				StringBuilder data = new StringBuilder("[");
				long sum = 0;
				for (int i = 0; i < arr.size(); i++) {
					sum += arr.get(i).asLong();
					long v = wrongLast && i == arr.size() - 1 ? sum + 1 : sum;
					data.append(i > 0 ? "," : "").append(v);
				}
				data.append(']');
				byte[] body = ("{\"message\":\"success\",\"data\":" + data + ",\"exec_ns\":1,\"start_time\":"
						+ System.currentTimeMillis() / 1000 + ",\"request_id\":\"stub\"}")
					.getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
			}
		});
		server.start();
	}

	String baseUrl() {
		return "http://127.0.0.1:" + server.getAddress().getPort();
	}

	int requests() {
		return requests.get();
	}

	@Override
	public void close() {
		server.stop(0);
		((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
	}

}
