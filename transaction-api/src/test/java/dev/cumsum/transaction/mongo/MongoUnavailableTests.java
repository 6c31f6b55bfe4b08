package dev.cumsum.transaction.mongo;

import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.cumsum.transaction.TestClients;
import dev.cumsum.transaction.TestMongo;
import dev.cumsum.transaction.TransactionApiApplication;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.RecordBatchRequest;
import dev.cumsum.transaction.v1.RecordBatchResponse;
import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.cumsum.transaction.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A MongoDB that is not there at startup, or goes away and comes back while the service
 * runs.
 */
class MongoUnavailableTests {

	private static ConfigurableApplicationContext start(String mongoUri, String... more) {
		List<String> args = new ArrayList<>(List.of("--spring.mongodb.uri=" + mongoUri, "--spring.grpc.server.port=0",
				"--server.port=0", "--management.server.port=0", "--history.mongo.server-selection-timeout=1s",
				"--spring.grpc.server.health.schedule.delay=100ms",
				"--spring.grpc.server.health.schedule.period=300ms"));
		args.addAll(List.of(more));
		return new SpringApplicationBuilder(TransactionApiApplication.class).run(args.toArray(String[]::new));
	}

	@Test
	void startupFailsWithAClearMessageWhenMongoIsUnreachable() throws Exception {
		String uri = "mongodb://127.0.0.1:" + TestMongo.closedPort() + "/unreachable";
		long started = System.nanoTime();

		assertThatException().isThrownBy(() -> start(uri, "--history.store.startup-timeout=2s").close())
			.satisfies((ex) -> assertThat(messages(ex)).anySatisfy((message) -> assertThat(message)
				.contains("Cannot reach MongoDB within 2s", "history.store.startup-timeout", "spring.mongodb.uri")));

		// it retried until the timeout and then gave up, instead of hanging on
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofSeconds(2),
				Duration.ofSeconds(30));
	}

	/**
	 * mongo-java-server has no users: any credentials fail authentication, as a wrong
	 * password would.
	 */
	@Test
	void startupFailsAtOnceWithAClearMessageWhenCredentialsAreRejected() throws Exception {
		MongoServer server = new MongoServer(new MemoryBackend());
		InetSocketAddress address = server.bind();
		try {
			String uri = "mongodb://bob:wrong@127.0.0.1:" + address.getPort() + "/?authSource=admin";
			long started = System.nanoTime();
			assertThatException().isThrownBy(() -> start(uri, "--history.store.startup-timeout=30s").close())
				.satisfies((ex) -> assertThat(messages(ex)).anySatisfy((message) -> assertThat(message)
					.contains("MongoDB rejected the credentials in spring.mongodb.uri", "authSource")
					.doesNotContain("wrong")));
			// no retrying: a wrong password does not fix itself
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(25));
		}
		finally {
			server.shutdownNow();
		}
	}

	private static List<String> messages(Throwable ex) {
		List<String> messages = new ArrayList<>();
		for (Throwable t = ex; t != null; t = t.getCause()) {
			messages.add(String.valueOf(t.getMessage()));
		}
		return messages;
	}

	@Test
	void outageMakesWritesUnavailableAndReadinessDownUntilMongoIsBack() throws Exception {
		MongoServer mongo = new MongoServer(new MemoryBackend());
		mongo.bind("127.0.0.1", 0);
		int mongoPort = mongo.getLocalAddress().getPort();
		try (ConfigurableApplicationContext app = start("mongodb://127.0.0.1:" + mongoPort + "/outage")) {
			int grpcPort = app.getEnvironment().getRequiredProperty("local.grpc.server.port", Integer.class);
			int managementPort = app.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
			ManagedChannel channel = TestClients.channel(grpcPort);
			try {
				var history = TransactionServiceGrpc.newBlockingStub(channel);
				assertThat(history.withDeadlineAfter(10, TimeUnit.SECONDS).recordBatch(batch("before")).getInserted())
					.isEqualTo(1);
				assertThat(readiness(managementPort)).isEqualTo("UP");
				double failedBefore = TestClients.metric(managementPort, "transaction_records_total", "result",
						"failed");

				mongo.shutdownNow();

				assertThatExceptionOfType(StatusRuntimeException.class)
					.isThrownBy(() -> history.withDeadlineAfter(15, TimeUnit.SECONDS).recordBatch(batch("during")))
					.satisfies((ex) -> {
						assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
						assertThat(ex.getStatus().getDescription()).startsWith("history store unavailable");
					});
				assertThat(TestClients.metric(managementPort, "transaction_records_total", "result", "failed"))
					.isEqualTo(failedBefore + 1);
				// not ready, but alive: a restart would not bring MongoDB back
				var readinessDown = TestClients.get(managementPort, "/actuator/health/readiness");
				assertThat(readinessDown.statusCode()).isEqualTo(503);
				assertThat(TestClients.healthStatus(readinessDown)).isEqualTo("DOWN");
				var liveness = TestClients.get(managementPort, "/actuator/health/liveness");
				assertThat(liveness.statusCode()).isEqualTo(200);
				assertThat(TestClients.healthStatus(liveness)).isEqualTo("UP");
				await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
					assertThat(TestClients.health(channel, "readiness")).isEqualTo(ServingStatus.NOT_SERVING);
					assertThat(TestClients.health(channel, "liveness")).isEqualTo(ServingStatus.SERVING);
				});

				mongo = restart(mongoPort);

				RecordBatchResponse after = history.withDeadlineAfter(15, TimeUnit.SECONDS).recordBatch(batch("after"));
				assertThat(after.getInserted()).isEqualTo(1);
				assertThat(readiness(managementPort)).isEqualTo("UP");
				await().atMost(Duration.ofSeconds(15))
					.untilAsserted(() -> assertThat(TestClients.health(channel, "readiness"))
						.isEqualTo(ServingStatus.SERVING));
			}
			finally {
				channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			}
		}
		finally {
			mongo.shutdownNow();
		}
	}

	private static String readiness(int managementPort) {
		return TestClients.healthStatus(TestClients.get(managementPort, "/actuator/health/readiness"));
	}

	private static RecordBatchRequest batch(String id) {
		Record record = record(id, Instant.now(), "pod-outage", 1, 2);
		return RecordBatchRequest.newBuilder().addRecords(record).build();
	}

	/**
	 * A new, empty server on the port the service knows (the old one's sockets may linger
	 * briefly).
	 */
	private static MongoServer restart(int port) throws InterruptedException {
		for (int attempt = 0;; attempt++) {
			MongoServer server = new MongoServer(new MemoryBackend());
			try {
				server.bind("127.0.0.1", port);
				return server;
			}
			catch (RuntimeException ex) {
				server.shutdownNow();
				if (!(ex.getCause() instanceof BindException) || attempt == 20) {
					throw ex;
				}
				Thread.sleep(250);
			}
		}
	}

}
