package dev.cumsum.transaction;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;

/**
 * Real clients of a running transaction-api: a plaintext gRPC channel and HTTP to the
 * management port.
 */
public final class TestClients {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private TestClients() {
	}

	public static ManagedChannel channel(int grpcPort) {
		return NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
	}

	/** grpc.health.v1.Health/Check for one service name ("" = the whole server). */
	public static ServingStatus health(ManagedChannel channel, String service) {
		return HealthGrpc.newBlockingStub(channel)
			.withDeadlineAfter(Duration.ofSeconds(5))
			.check(HealthCheckRequest.newBuilder().setService(service).build())
			.getStatus();
	}

	public static HttpResponse<String> get(int port, String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.GET()
			.build();
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** The {@code status} of an actuator health response body. */
	public static String healthStatus(HttpResponse<String> response) {
		Matcher status = Pattern.compile("^\\{\"status\":\"([A-Z_]+)\"").matcher(response.body());
		return status.find() ? status.group(1) : "unparsable: " + response.body();
	}

	/**
	 * The value of one sample in the Prometheus text exposition, found by metric name and
	 * one label; fails when absent so that a renamed metric cannot pass unnoticed.
	 */
	public static double metric(int managementPort, String name, String label, String value) {
		HttpResponse<String> response = get(managementPort, "/actuator/prometheus");
		if (response.statusCode() != 200) {
			throw new AssertionError("/actuator/prometheus answered " + response.statusCode());
		}
		Pattern sample = Pattern.compile("^" + Pattern.quote(name) + "\\{([^}]*)\\} (\\S+)$", Pattern.MULTILINE);
		Matcher matcher = sample.matcher(response.body());
		String wanted = label + "=\"" + value + "\"";
		while (matcher.find()) {
			if (("," + matcher.group(1) + ",").contains("," + wanted + ",")) {
				return Double.parseDouble(matcher.group(2));
			}
		}
		throw new AssertionError("no sample " + name + "{" + wanted + "} in:\n" + response.body());
	}

}
