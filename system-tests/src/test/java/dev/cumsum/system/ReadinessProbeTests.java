package dev.cumsum.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * transaction-api's readiness probe as the kubelet calls it (the chart's readinessProbe:
 * HTTP GET /actuator/health/readiness on the management port; 200-399 passes, anything
 * else fails), against the real process: DOWN while its MongoDB is unreachable, UP only
 * once MongoDB answers.
 */
class ReadinessProbeTests {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	/** The chart's readinessProbe timeoutSeconds. */
	private static final Duration KUBELET_TIMEOUT = Duration.ofSeconds(2);

	/**
	 * What a probe got; the kubelet counts 200-399 as success, anything else (or no
	 * answer) as failure.
	 */
	record Probe(int status, String body) {

		boolean passes() {
			return this.status >= 200 && this.status < 400;
		}

	}

	@Test
	void transactionApiIsReadyOnlyOnceMongoDbAnswers(@TempDir Path dataDir) throws Exception {
		int mongoPort = ServiceProcess.freePort();
		int management = ServiceProcess.freePort();
		MongoServer mongo = new MongoServer(new MemoryBackend());
		try (ServiceProcess transactions = ServiceProcess.transactionApi(ServiceProcess.freePort(), management,
				"mongodb://127.0.0.1:" + mongoPort + "/readiness", dataDir, "--history.store.startup-timeout=300s")) {
			transactions.start();

			// the process is up (liveness never depends on MongoDB) while nothing listens
			// on mongoPort
			awaitLive(transactions, management, Duration.ofSeconds(90));
			// readiness says DOWN (given time: its MongoDB ping waits for the driver's
			// server selection)
			Probe down = probe(management, Duration.ofSeconds(15));
			assertThat(down.status()).isEqualTo(503);
			assertThat(down.body()).contains("\"status\":\"DOWN\"");
			// and the kubelet's probe (2 s timeout, 200-399 passes) fails for several
			// probe periods
			List<Probe> whileUnreachable = new ArrayList<>();
			long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
			while (System.nanoTime() < until) {
				whileUnreachable.add(probe(management, KUBELET_TIMEOUT));
				Thread.sleep(500);
			}
			assertThat(whileUnreachable).isNotEmpty().noneMatch(Probe::passes);
			assertThat(transactions.isAlive()).isTrue();

			mongo.bind("127.0.0.1", mongoPort);

			Probe ready = probe(management, KUBELET_TIMEOUT);
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (!ready.passes() && System.nanoTime() < deadline) {
				Thread.sleep(200);
				ready = probe(management, KUBELET_TIMEOUT);
			}
			assertThat(ready.status()).isEqualTo(200);
			assertThat(ready.body()).contains("\"status\":\"UP\"");
		}
		finally {
			mongo.shutdownNow();
		}
	}

	/** Polls liveness until the management port answers 200 (the JVM is starting). */
	private static void awaitLive(ServiceProcess process, int port, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			assertThat(process.isAlive()).as("transaction-api still running").isTrue();
			if (get(port, "/actuator/health/liveness", KUBELET_TIMEOUT).status() == 200) {
				return;
			}
			Thread.sleep(200);
		}
		throw new AssertionError("management port " + port + " not live within " + timeout);
	}

	private static Probe probe(int port, Duration timeout) throws InterruptedException {
		return get(port, "/actuator/health/readiness", timeout);
	}

	/**
	 * One HTTP GET as a kubelet probe sends it; status -1 when nothing answers in time.
	 */
	private static Probe get(int port, String path, Duration timeout) throws InterruptedException {
		try {
			HttpResponse<String> response = HTTP.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(timeout).build(),
					HttpResponse.BodyHandlers.ofString());
			return new Probe(response.statusCode(), response.body());
		}
		catch (IOException ex) {
			return new Probe(-1, ex.toString());
		}
	}

}
