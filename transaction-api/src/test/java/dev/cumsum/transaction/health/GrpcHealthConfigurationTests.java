package dev.cumsum.transaction.health;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.cumsum.transaction.TestClients;
import dev.cumsum.transaction.TransactionApiApplication;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * gRPC health follows readiness: never SERVING while MongoDB is unreachable at startup,
 * SERVING once it is reached.
 */
class GrpcHealthConfigurationTests {

	@Test
	void wholeServerHealthIsNotServingUntilMongoIsReachable() throws Exception {
		int mongoPort = freePort();
		int grpcPort = freePort();
		CompletableFuture<ConfigurableApplicationContext> app = CompletableFuture
			.supplyAsync(() -> new SpringApplicationBuilder(TransactionApiApplication.class).run(
					"--spring.mongodb.uri=mongodb://127.0.0.1:" + mongoPort + "/health",
					"--spring.grpc.server.port=" + grpcPort, "--server.port=0", "--management.server.port=0",
					"--history.mongo.server-selection-timeout=500ms", "--history.store.startup-timeout=120s",
					"--spring.grpc.server.health.schedule.period=300ms"));
		ManagedChannel channel = TestClients.channel(grpcPort);
		MongoServer mongo = new MongoServer(new MemoryBackend());
		try {
			List<String> seen = new CopyOnWriteArrayList<>();
			// from the moment the port answers, and for a while (startup keeps retrying
			// MongoDB)
			await().atMost(Duration.ofSeconds(60)).until(() -> !status(channel, "").startsWith("UNAVAILABLE"));
			long until = System.nanoTime() + Duration.ofSeconds(4).toNanos();
			while (System.nanoTime() < until) {
				seen.add(status(channel, ""));
				seen.add(status(channel, "readiness"));
				Thread.sleep(100);
			}
			assertThat(app).isNotDone();
			assertThat(seen).isNotEmpty().doesNotContain("SERVING");

			mongo.bind("127.0.0.1", mongoPort);
			app.get(60, TimeUnit.SECONDS);
			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
				assertThat(status(channel, "")).isEqualTo("SERVING");
				assertThat(status(channel, "readiness")).isEqualTo("SERVING");
			});
		}
		finally {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			app.thenAccept(ConfigurableApplicationContext::close);
			app.cancel(true);
			mongo.shutdownNow();
		}
	}

	/**
	 * The serving status, or the gRPC status code of the failed check (NOT_FOUND: not
	 * registered yet).
	 */
	private static String status(ManagedChannel channel, String service) {
		try {
			return TestClients.health(channel, service).name();
		}
		catch (StatusRuntimeException ex) {
			return ex.getStatus().getCode().name();
		}
	}

	private static int freePort() throws Exception {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
