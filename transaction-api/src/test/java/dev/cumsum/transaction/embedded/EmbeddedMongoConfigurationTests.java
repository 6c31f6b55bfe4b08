package dev.cumsum.transaction.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.cumsum.transaction.TestClients;
import dev.cumsum.transaction.TestMongo;
import dev.cumsum.transaction.TestRecords;
import dev.cumsum.transaction.TransactionApiApplication;
import dev.cumsum.transaction.v1.GetRecordRequest;
import dev.cumsum.transaction.v1.GetStatsRequest;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.RecordBatchRequest;
import dev.cumsum.transaction.v1.RecordBatchResponse;
import dev.cumsum.transaction.v1.Stats;
import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import dev.cumsum.transaction.v1.TransactionServiceGrpc.TransactionServiceBlockingStub;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.unit.DataSize;

import static dev.cumsum.transaction.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Local mode: the history lives in an H2 file under the data directory and survives
 * restarts.
 */
class EmbeddedMongoConfigurationTests {

	@TempDir
	Path dataDir;

	private static ConfigurableApplicationContext start(Path dataDir) {
		// arguments, not builder properties: those are defaults that application.yaml
		// overrides
		return new SpringApplicationBuilder(TransactionApiApplication.class).run("--spring.grpc.server.port=0",
				"--server.port=0", "--management.server.port=0", "--history.embedded.data-dir=" + dataDir);
	}

	private static int grpcPort(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.grpc.server.port", Integer.class);
	}

	private static <T> T call(int grpcPort, java.util.function.Function<TransactionServiceBlockingStub, T> call)
			throws InterruptedException {
		ManagedChannel channel = TestClients.channel(grpcPort);
		try {
			return call.apply(TransactionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS));
		}
		finally {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	private static RecordBatchRequest batch(Record... records) {
		return RecordBatchRequest.newBuilder().addAllRecords(List.of(records)).build();
	}

	private static Record getRecord(int grpcPort, Record record) throws InterruptedException {
		GetRecordRequest request = GetRecordRequest.newBuilder().setRequestId(record.getRequestId()).build();
		return call(grpcPort, (history) -> history.getRecord(request));
	}

	@Test
	void historySurvivesARestartOnTheSameDataDirectory() throws Exception {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		Record plain = record("restart-1", now, "pod-a", 1, 2, 3);
		Record limits = TestRecords.int64Limits("restart-2", now.plusMillis(1));
		Record decimals = TestRecords.extremes("restart-3", now.plusMillis(2));

		try (ConfigurableApplicationContext first = start(this.dataDir)) {
			RecordBatchResponse stored = call(grpcPort(first),
					(history) -> history.recordBatch(batch(plain, limits, decimals)));
			assertThat(stored.getInserted()).isEqualTo(3);
		}
		assertThat(this.dataDir.resolve("transactions.mv")).isRegularFile();

		try (ConfigurableApplicationContext second = start(this.dataDir)) {
			int port = grpcPort(second);
			assertThat(getRecord(port, plain)).isEqualTo(plain);
			assertThat(getRecord(port, limits)).isEqualTo(limits);
			assertThat(getRecord(port, decimals)).isEqualTo(decimals);
			Stats stats = call(port, (history) -> history.getStats(GetStatsRequest.getDefaultInstance()));
			assertThat(stats.getCount()).isEqualTo(3);
			assertThat(TestRecords.instant(stats.getFirstReceivedAt())).isEqualTo(now);
			assertThat(TestRecords.instant(stats.getLastReceivedAt())).isEqualTo(now.plusMillis(2));
			// the unique _id survived too: a retry after the restart is still a duplicate
			RecordBatchResponse retry = call(port, (history) -> history.recordBatch(batch(plain, limits, decimals)));
			assertThat(retry.getInserted()).isZero();
			assertThat(retry.getDuplicates()).isEqualTo(3);
		}
	}

	/**
	 * An acknowledged write must survive SIGKILL (no shutdown hook, no final commit). The
	 * service runs in its own JVM on the test classpath so that it can be killed.
	 */
	@Test
	void acknowledgedWritesSurviveAKill() throws Exception {
		int grpcPort = TestMongo.closedPort();
		int managementPort = TestMongo.closedPort();
		Path log = this.dataDir.resolve("service.log");
		Path data = this.dataDir.resolve("data");
		Process service = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				TransactionApiApplication.class.getName(), "--spring.grpc.server.port=" + grpcPort,
				"--server.port=" + managementPort, "--history.embedded.data-dir=" + data,
				"--spring.grpc.server.health.schedule.delay=100ms")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		Record[] records = { record("kill-1", Instant.now(), "pod-k", 1), record("kill-2", Instant.now(), "pod-k", 2) };
		try {
			ManagedChannel channel = TestClients.channel(grpcPort);
			try {
				await().atMost(Duration.ofSeconds(40))
					.pollInterval(Duration.ofMillis(250))
					.ignoreExceptions()
					.failFast("service exited, see " + log, () -> !service.isAlive())
					.untilAsserted(() -> assertThat(TestClients.health(channel, "readiness"))
						.isEqualTo(ServingStatus.SERVING));
				RecordBatchResponse stored = TransactionServiceGrpc.newBlockingStub(channel)
					.withDeadlineAfter(10, TimeUnit.SECONDS)
					.recordBatch(batch(records));
				assertThat(stored.getInserted()).isEqualTo(2);
			}
			finally {
				channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			}
		}
		finally {
			// destroyForcibly is SIGKILL on Linux
			service.destroyForcibly();
			assertThat(service.waitFor(20, TimeUnit.SECONDS)).as("killed").isTrue();
		}
		assertThat(service.exitValue()).as(tail(log)).isEqualTo(137);

		try (ConfigurableApplicationContext restarted = start(data)) {
			int port = grpcPort(restarted);
			for (Record record : records) {
				assertThat(getRecord(port, record)).isEqualTo(record);
			}
		}
	}

	@Test
	void theStoreIsOpenedWithItsCacheAndRetentionSettings() {
		EmbeddedMongoProperties.Store settings = new EmbeddedMongoProperties.Store(DataSize.ofMegabytes(4), true,
				Duration.ofSeconds(3), 80);
		try (MVStore store = EmbeddedMongoConfiguration.open(this.dataDir.resolve("settings.mv"), settings)) {
			assertThat(store.getCacheSize()).isEqualTo(4);
			assertThat(store.getRetentionTime()).isEqualTo(3000);
		}
	}

	/**
	 * Compression is what makes a record cost hundreds of bytes on disk instead of
	 * kilobytes: the same compressible values take far less room in a compressed file.
	 */
	@Test
	void compressedPagesTakeLessRoomOnDisk() {
		EmbeddedMongoProperties.Store plain = new EmbeddedMongoProperties.Store(DataSize.ofMegabytes(4), false,
				Duration.ofSeconds(2), 90);
		EmbeddedMongoProperties.Store compressed = new EmbeddedMongoProperties.Store(DataSize.ofMegabytes(4), true,
				Duration.ofSeconds(2), 90);
		assertThat(storedBytes(compressed, "compressed.mv")).isLessThan(storedBytes(plain, "plain.mv") / 3);
	}

	/**
	 * A data directory written before these settings (H2's defaults: no compression)
	 * opens with them, and its records read back; new pages are then compressed.
	 */
	@Test
	void aStoreWrittenWithoutCompressionOpensWithIt() {
		Path file = this.dataDir.resolve("upgrade.mv");
		try (MVStore before = MVStore.open(file.toString())) {
			before.<Integer, String>openMap("records").put(1, "written by H2's defaults");
			before.commit();
		}
		try (MVStore after = EmbeddedMongoConfiguration.open(file,
				new EmbeddedMongoProperties.Store(DataSize.ofMegabytes(8), true, Duration.ofSeconds(2), 90))) {
			MVMap<Integer, String> records = after.openMap("records");
			assertThat(records.get(1)).isEqualTo("written by H2's defaults");
			records.put(2, "written compressed");
			after.commit();
		}
		try (MVStore reopened = MVStore.open(file.toString())) {
			assertThat(reopened.<Integer, String>openMap("records")).containsEntry(1, "written by H2's defaults")
				.containsEntry(2, "written compressed");
		}
	}

	private long storedBytes(EmbeddedMongoProperties.Store settings, String name) {
		Path file = this.dataDir.resolve(name);
		try (MVStore store = EmbeddedMongoConfiguration.open(file, settings)) {
			MVMap<Integer, String> map = store.openMap("records");
			for (int i = 0; i < 2000; i++) {
				map.put(i, "{\"arr\":[1,2,3,4,5,6,7,8,9,10],\"mode\":\"man\",\"pod\":\"local\"} " + i);
			}
			store.commit();
			return store.getFileStore().size();
		}
	}

	private static String tail(Path log) {
		try {
			List<String> lines = Files.readAllLines(log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return ex.toString();
		}
	}

}
