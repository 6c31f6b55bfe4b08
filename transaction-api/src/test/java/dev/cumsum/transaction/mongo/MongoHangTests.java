package dev.cumsum.transaction.mongo;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.cumsum.transaction.TestClients;
import dev.cumsum.transaction.TransactionApiApplication;
import dev.cumsum.transaction.v1.GetRecordRequest;
import dev.cumsum.transaction.v1.GetStatsRequest;
import dev.cumsum.transaction.v1.ListRecordsRequest;
import dev.cumsum.transaction.v1.RecordBatchRequest;
import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import dev.cumsum.transaction.v1.TransactionServiceGrpc.TransactionServiceBlockingStub;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.cumsum.transaction.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A MongoDB that stops answering while the service runs (a loopback listener that accepts
 * and never replies): every call ends within its deadline, calls with a long deadline are
 * ended by the service's own time limits with a clean status, and readiness goes DOWN.
 * Nothing blocks for ever.
 */
class MongoHangTests {

	private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(4);

	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void aHungMongoEndsEveryCallWithinItsDeadlinesAndTakesReadinessDown() throws Exception {
		MongoServer mongo = new MongoServer(new MemoryBackend());
		mongo.bind("127.0.0.1", 0);
		try (HangingProxy proxy = new HangingProxy(mongo.getLocalAddress());
				ConfigurableApplicationContext app = new SpringApplicationBuilder(TransactionApiApplication.class).run(
						"--spring.mongodb.uri=mongodb://127.0.0.1:" + proxy.port() + "/hang",
						"--spring.grpc.server.port=0", "--server.port=0", "--management.server.port=0",
						"--spring.grpc.server.health.schedule.delay=100ms",
						"--spring.grpc.server.health.schedule.period=300ms",
						"--history.mongo.socket-timeout=" + SOCKET_TIMEOUT.toMillis() + "ms",
						"--history.store.stats-timeout=3s")) {
			int grpcPort = app.getEnvironment().getRequiredProperty("local.grpc.server.port", Integer.class);
			int managementPort = app.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
			ManagedChannel channel = TestClients.channel(grpcPort);
			try {
				TransactionServiceBlockingStub history = TransactionServiceGrpc.newBlockingStub(channel);
				assertThat(history.withDeadlineAfter(10, TimeUnit.SECONDS).recordBatch(batch("before")).getInserted())
					.isEqualTo(1);
				assertThat(history.withDeadlineAfter(10, TimeUnit.SECONDS)
					.getStats(GetStatsRequest.getDefaultInstance())
					.getCount()).isEqualTo(1);

				proxy.hang();

				// the deadlines cumsum-api gives: RecordBatch 3s, reads 2s
				List<CompletableFuture<Ended>> calls = List.of(
						call(channel, Duration.ofSeconds(3), (stub) -> stub.recordBatch(batch("during"))),
						call(channel, Duration.ofSeconds(2),
								(stub) -> stub.getRecord(GetRecordRequest.newBuilder().setRequestId("before").build())),
						call(channel, Duration.ofSeconds(2),
								(stub) -> stub.listRecords(ListRecordsRequest.getDefaultInstance())),
						call(channel, Duration.ofSeconds(2),
								(stub) -> stub.getStats(GetStatsRequest.getDefaultInstance())));
				for (CompletableFuture<Ended> call : calls) {
					Ended ended = call.get(30, TimeUnit.SECONDS);
					assertThat(ended.took()).as(ended.toString()).isLessThan(ended.deadline().plusSeconds(1));
					if (ended.status() != null) {
						// the totals computed before the hang may still answer; anything
						// else fails cleanly
						assertThat(ended.status().getCode()).as(ended.toString())
							.isIn(Status.Code.DEADLINE_EXCEEDED, Status.Code.UNAVAILABLE);
						if (ended.status().getCode() == Status.Code.UNAVAILABLE) {
							// from the service (DEADLINE_EXCEEDED is the client's own,
							// naming its connection)
							assertClean(ended.status());
						}
					}
				}

				// a caller with no useful deadline is answered by the service's own
				// limits, cleanly
				CompletableFuture<Ended> patient = call(channel, Duration.ofSeconds(60),
						(stub) -> stub.recordBatch(batch("patient")));
				Ended ended = patient.get(60, TimeUnit.SECONDS);
				assertThat(ended.status()).as(ended.toString()).isNotNull();
				assertThat(ended.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
				assertThat(ended.status().getDescription()).startsWith("history store unavailable");
				assertClean(ended.status());
				assertThat(ended.took()).isLessThan(SOCKET_TIMEOUT.plusSeconds(10));

				// not ready (each probe answered promptly), still alive
				await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
					long start = System.nanoTime();
					HttpResponse<String> readiness = TestClients.get(managementPort, "/actuator/health/readiness");
					assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
					assertThat(readiness.statusCode()).isEqualTo(503);
					assertThat(TestClients.healthStatus(readiness)).isEqualTo("DOWN");
				});
				assertThat(TestClients.get(managementPort, "/actuator/health/liveness").statusCode()).isEqualTo(200);
				await().atMost(Duration.ofSeconds(20))
					.untilAsserted(() -> assertThat(TestClients.health(channel, "readiness"))
						.isEqualTo(ServingStatus.NOT_SERVING));
			}
			finally {
				channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			}
		}
		finally {
			mongo.shutdownNow();
		}
	}

	private static void assertClean(Status status) {
		assertThat(String.valueOf(status.getDescription())).doesNotContain("127.0.0.1", "localhost", "com.mongodb",
				"servers=", "Exception");
	}

	private static CompletableFuture<Ended> call(ManagedChannel channel, Duration deadline,
			Function<TransactionServiceBlockingStub, Object> call) {
		return CompletableFuture.supplyAsync(() -> {
			long start = System.nanoTime();
			Status status = null;
			try {
				call.apply(TransactionServiceGrpc.newBlockingStub(channel)
					.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS));
			}
			catch (StatusRuntimeException ex) {
				status = ex.getStatus();
			}
			return new Ended(deadline, Duration.ofNanos(System.nanoTime() - start), status);
		}, (task) -> Thread.ofVirtual().start(task));
	}

	private static RecordBatchRequest batch(String id) {
		return RecordBatchRequest.newBuilder().addRecords(record(id, Instant.now(), "pod-hang", 1, 2)).build();
	}

	private record Ended(Duration deadline, Duration took, Status status) {
	}

}
