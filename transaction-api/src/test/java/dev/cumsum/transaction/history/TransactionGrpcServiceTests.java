package dev.cumsum.transaction.history;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.cumsum.transaction.TestClients;
import dev.cumsum.transaction.StoreBacked;
import dev.cumsum.transaction.TestRecords;
import dev.cumsum.transaction.v1.GetRecordRequest;
import dev.cumsum.transaction.v1.GetStatsRequest;
import dev.cumsum.transaction.v1.ListRecordsRequest;
import dev.cumsum.transaction.v1.ListRecordsResponse;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.RecordBatchRequest;
import dev.cumsum.transaction.v1.RecordBatchResponse;
import dev.cumsum.transaction.v1.Stats;
import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import dev.cumsum.transaction.v1.TransactionServiceGrpc.TransactionServiceBlockingStub;
import dev.cumsum.transaction.v1.Values;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.annotation.DirtiesContext;

import static dev.cumsum.transaction.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The whole service over its real interfaces: gRPC on a Netty port, actuator over HTTP.
 * Local mode on a temporary data directory, or a real MongoDB with
 * {@code -Dmongodb.uri=...}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.grpc.server.port=0", "management.server.port=0",
				"spring.grpc.server.health.schedule.delay=100ms", "spring.grpc.server.health.schedule.period=500ms" })
@DirtiesContext
class TransactionGrpcServiceTests extends StoreBacked {

	@LocalGrpcServerPort
	int grpcPort;

	@LocalManagementPort
	int managementPort;

	@Value("${server.port}")
	String serverPort;

	private ManagedChannel channel;

	private TransactionServiceBlockingStub history;

	private final String prefix = UUID.randomUUID().toString().substring(0, 8) + "-";

	@BeforeEach
	void connect() {
		this.channel = TestClients.channel(this.grpcPort);
		this.history = TransactionServiceGrpc.newBlockingStub(this.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
	}

	@AfterEach
	void disconnect() throws InterruptedException {
		this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

	private RecordBatchResponse recordBatch(Record... records) {
		return this.history.recordBatch(RecordBatchRequest.newBuilder().addAllRecords(List.of(records)).build());
	}

	private Stats stats() {
		return this.history.getStats(GetStatsRequest.getDefaultInstance());
	}

	private double recordsTotal(String result) {
		return TestClients.metric(this.managementPort, "transaction_records_total", "result", result);
	}

	@Test
	void recordBatchStoresEachRecordOnceAndAcknowledgesRetries() {
		Instant now = Instant.now();
		String pod = this.prefix + "pod";
		Record[] batch = { record(this.prefix + "1", now, pod, 1, 2), record(this.prefix + "2", now, pod, 3),
				record(this.prefix + "3", now, pod, 4, 5, 6) };
		long before = stats().getCount();

		RecordBatchResponse first = recordBatch(batch);
		RecordBatchResponse retry = recordBatch(batch);
		RecordBatchResponse mixed = recordBatch(batch[0], record(this.prefix + "4", now, pod, 7), batch[2]);

		assertThat(first.getInserted()).isEqualTo(3);
		assertThat(first.getDuplicates()).isZero();
		assertThat(retry.getInserted()).isZero();
		assertThat(retry.getDuplicates()).isEqualTo(3);
		assertThat(mixed.getInserted()).isEqualTo(1);
		assertThat(mixed.getDuplicates()).isEqualTo(2);
		Stats after = stats();
		assertThat(after.getCount()).isEqualTo(before + 4);
		assertThat(after.getCountByPodMap()).containsEntry(pod, 4L);
	}

	@Test
	void aReusedRequestIdWithAnotherInputIsReportedAsConflictAndNotStored() {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		Record original = TestRecords.withDigest(record(this.prefix + "reused", now, "pod-c", 1, 2, 3), "input-1");
		Record retry = TestRecords.withDigest(record(this.prefix + "reused", now.plusMillis(5), "pod-c", 1, 2, 3),
				"input-1");
		Record other = TestRecords.withDigest(record(this.prefix + "reused", now.plusMillis(9), "pod-c", 4, 5),
				"input-2");
		Record fresh = TestRecords.withDigest(record(this.prefix + "fresh", now, "pod-c", 7), "input-3");
		double conflictsBefore = recordsTotal("conflict");

		RecordBatchResponse first = recordBatch(original);
		RecordBatchResponse same = recordBatch(retry);
		RecordBatchResponse reused = recordBatch(other, fresh);

		assertThat(first.getInserted()).isEqualTo(1);
		assertThat(first.getConflictingRequestIdsList()).isEmpty();
		assertThat(same.getInserted()).isZero();
		assertThat(same.getDuplicates()).isEqualTo(1);
		assertThat(same.getConflictingRequestIdsList()).isEmpty();
		assertThat(reused.getInserted()).isEqualTo(1);
		assertThat(reused.getDuplicates()).isZero();
		assertThat(reused.getConflictingRequestIdsList()).containsExactly(original.getRequestId());
		// the first stored version is kept, whole
		assertThat(this.history.getRecord(GetRecordRequest.newBuilder().setRequestId(original.getRequestId()).build()))
			.isEqualTo(original);
		assertThat(recordsTotal("conflict")).isEqualTo(conflictsBefore + 1);
	}

	@Test
	void emptyBatchIsAcknowledged() {
		RecordBatchResponse response = recordBatch();

		assertThat(response.getInserted()).isZero();
		assertThat(response.getDuplicates()).isZero();
	}

	@Test
	void getRecordReturnsTheExactRecordOrNotFound() {
		Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		Record limits = TestRecords.int64Limits(this.prefix + "limits", at);
		Record decimals = TestRecords.extremes(this.prefix + "decimals", at);
		recordBatch(limits, decimals);

		assertThat(this.history.getRecord(GetRecordRequest.newBuilder().setRequestId(limits.getRequestId()).build()))
			.isEqualTo(limits);
		assertThat(this.history.getRecord(GetRecordRequest.newBuilder().setRequestId(decimals.getRequestId()).build()))
			.isEqualTo(decimals);
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> this.history
				.getRecord(GetRecordRequest.newBuilder().setRequestId(this.prefix + "absent").build()))
			.extracting(StatusRuntimeException::getStatus)
			.extracting(Status::getCode)
			.isEqualTo(Status.Code.NOT_FOUND);
	}

	@Test
	void listRecordsPagesNewestFirstWithoutValues() {
		// records from the other tests are in the history too: walk everything, check
		// ours and the totals
		Instant base = Instant.now().plus(Duration.ofMinutes(10)).truncatedTo(ChronoUnit.MILLIS);
		List<Record> mine = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			mine.add(record(this.prefix + "list-%02d".formatted(i), base.minusMillis(i % 3), "pod-list", i, i));
		}
		recordBatch(mine.toArray(Record[]::new));
		long total = stats().getCount();

		List<Record> seen = new ArrayList<>();
		String token = "";
		int pages = 0;
		do {
			ListRecordsResponse page = this.history
				.listRecords(ListRecordsRequest.newBuilder().setPageSize(5).setPageToken(token).build());
			assertThat(page.getRecordsList()).hasSizeLessThanOrEqualTo(5);
			seen.addAll(page.getRecordsList());
			token = page.getNextPageToken();
			pages++;
		}
		while (!token.isEmpty() && pages < 1000);

		assertThat(seen).hasSize((int) total);
		assertThat(seen).extracting(Record::getRequestId).doesNotHaveDuplicates();
		assertThat(seen).isSortedAccordingTo(Comparator.comparing((Record r) -> TestRecords.instant(r.getReceivedAt()))
			.thenComparing(Record::getRequestId)
			.reversed());
		List<Record> listedMine = seen.stream().filter((r) -> r.getRequestId().startsWith(this.prefix)).toList();
		assertThat(listedMine).extracting(Record::getRequestId)
			.containsExactlyElementsOf(mine.stream()
				.sorted(Comparator.comparing((Record r) -> TestRecords.instant(r.getReceivedAt()))
					.thenComparing(Record::getRequestId)
					.reversed())
				.map(Record::getRequestId)
				.toList());
		// values are left out of pages, their count is kept
		assertThat(listedMine).allSatisfy((r) -> {
			assertThat(r.hasInput()).isFalse();
			assertThat(r.hasOutput()).isFalse();
			assertThat(r.getLength()).isEqualTo(2);
			assertThat(r.getPod()).isEqualTo("pod-list");
		});
	}

	@Test
	void listRecordsDefaultsToTwentyAndAcceptsTheMaximum() {
		Instant now = Instant.now();
		List<Record> records = new ArrayList<>();
		for (int i = 0; i < 25; i++) {
			records.add(record(this.prefix + "page-" + i, now, "pod-page", i));
		}
		recordBatch(records.toArray(Record[]::new));

		assertThat(this.history.listRecords(ListRecordsRequest.getDefaultInstance()).getRecordsCount()).isEqualTo(20);
		ListRecordsResponse max = this.history.listRecords(ListRecordsRequest.newBuilder().setPageSize(100).build());
		assertThat(max.getRecordsCount()).isEqualTo((int) Math.min(100, stats().getCount()));
	}

	@Test
	void listRecordsRejectsBadPageSizesAndTokens() {
		for (ListRecordsRequest bad : List.of(ListRecordsRequest.newBuilder().setPageSize(101).build(),
				ListRecordsRequest.newBuilder().setPageSize(-1).build(),
				ListRecordsRequest.newBuilder().setPageToken("not a token!").build(),
				// valid base64url, but not a token the service made
				ListRecordsRequest.newBuilder().setPageToken("aGVsbG8").build(),
				ListRecordsRequest.newBuilder().setPageToken("eDpy").build())) {
			assertThatExceptionOfType(StatusRuntimeException.class).as(bad.toString())
				.isThrownBy(() -> this.history.listRecords(bad))
				.extracting(StatusRuntimeException::getStatus)
				.extracting(Status::getCode)
				.isEqualTo(Status.Code.INVALID_ARGUMENT);
		}
	}

	@Test
	void getStatsCountsFirstLastAndPerPod() {
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		// earlier and later than any record of the other tests, and inside the retention
		Instant first = now.minus(Duration.ofDays(2));
		Instant last = now.plus(Duration.ofDays(1000));
		String podA = this.prefix + "a";
		String podB = this.prefix + "b";
		long before = stats().getCount();

		recordBatch(record(this.prefix + "s1", first, podA, 1), record(this.prefix + "s2", now, podB, 1),
				record(this.prefix + "s3", last, podA, 1));

		Stats stats = stats();
		assertThat(stats.getCount()).isEqualTo(before + 3);
		assertThat(stats.getCountByPodMap()).containsEntry(podA, 2L).containsEntry(podB, 1L);
		assertThat(stats.getCountByPodMap().values().stream().mapToLong(Long::longValue).sum())
			.isEqualTo(stats.getCount());
		assertThat(TestRecords.instant(stats.getFirstReceivedAt())).isEqualTo(first);
		assertThat(TestRecords.instant(stats.getLastReceivedAt())).isEqualTo(last);
	}

	@Test
	void recordsWithoutIdOrTimeAreRejectedAndNothingOfTheBatchIsStored() {
		Instant now = Instant.now();
		Record good = record(this.prefix + "good", now, "pod-v", 1);
		Record noId = record("", now, "pod-v", 1);
		Record noTime = record(this.prefix + "no-time", now, "pod-v", 1).toBuilder().clearReceivedAt().build();
		Record longId = record("x".repeat(129), now, "pod-v", 1);

		for (Record bad : List.of(noId, noTime, longId)) {
			assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> recordBatch(good, bad))
				.satisfies((ex) -> {
					assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
					assertThat(ex.getStatus().getDescription()).containsAnyOf("request_id", "received_at");
				});
		}
		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(
				() -> this.history.getRecord(GetRecordRequest.newBuilder().setRequestId(good.getRequestId()).build()))
			.extracting((ex) -> ex.getStatus().getCode())
			.isEqualTo(Status.Code.NOT_FOUND);
		assertThat(recordBatch(record("x".repeat(128), now, "pod-v", 1)).getInserted()).isEqualTo(1);
	}

	@Test
	void healthServiceAnswersServingForServerLivenessAndReadiness() {
		await().atMost(Duration.ofSeconds(15)).ignoreExceptions().untilAsserted(() -> {
			assertThat(TestClients.health(this.channel, "")).isEqualTo(ServingStatus.SERVING);
			assertThat(TestClients.health(this.channel, "liveness")).isEqualTo(ServingStatus.SERVING);
			assertThat(TestClients.health(this.channel, "readiness")).isEqualTo(ServingStatus.SERVING);
		});
	}

	@Test
	void actuatorProbesAreUpOnTheManagementPort() {
		assertThat(this.managementPort).isPositive().isNotEqualTo(Integer.parseInt(this.serverPort));
		for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness")) {
			var response = TestClients.get(this.managementPort, probe);
			assertThat(response.statusCode()).as(probe).isEqualTo(200);
			assertThat(TestClients.healthStatus(response)).as(probe).isEqualTo("UP");
		}
	}

	@Test
	void recordsTotalCountsInsertedAndDuplicateRecords() {
		double inserted = recordsTotal("inserted");
		double duplicates = recordsTotal("duplicate");
		double failed = recordsTotal("failed");
		Instant now = Instant.now();
		Record[] batch = { record(this.prefix + "m1", now, "pod-m", 1), record(this.prefix + "m2", now, "pod-m", 2),
				record(this.prefix + "m3", now, "pod-m", 3), record(this.prefix + "m4", now, "pod-m", 4),
				record(this.prefix + "m5", now, "pod-m", 5) };

		recordBatch(batch);
		recordBatch(batch[0], batch[1]);

		assertThat(recordsTotal("inserted")).isEqualTo(inserted + 5);
		assertThat(recordsTotal("duplicate")).isEqualTo(duplicates + 2);
		assertThat(recordsTotal("failed")).isEqualTo(failed);
		assertThat(TestClients.metric(this.managementPort, "transaction_write_seconds_count", "outcome", "success"))
			.isPositive();
	}

	/**
	 * MongoDB stores at most 16 MiB per document: a larger record is rejected before
	 * anything of its batch is written, so a retry cannot store half a batch. (A small
	 * message can make a large document: each int64 element is ~1 byte of protobuf and 16
	 * bytes of BSON.)
	 */
	@Test
	void recordTooLargeForOneDocumentIsRejectedAsInvalidArgumentAndNothingIsStored() {
		long[] values = new long[600_000];
		Instant now = Instant.now();
		Record huge = huge("huge", now, TestRecords.ints(values), values.length);
		assertThat(huge.getSerializedSize()).isLessThan(17_000_000);
		Record before = record(this.prefix + "before-huge", now, "pod-huge", 1);
		Record after = record(this.prefix + "after-huge", now, "pod-huge", 1);

		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> recordBatch(before, huge, after))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				assertThat(ex.getStatus().getDescription()).contains(huge.getRequestId());
			});
		assertNotStored(before, huge, after);
	}

	/**
	 * Over the 17 MB message limit: refused by gRPC before it is buffered (README,
	 * "Message and batch sizes").
	 */
	@Test
	void messageOverTheLimitIsRefusedAndNothingIsStored() {
		String value = "1" + "0".repeat(999) + "." + "0".repeat(999) + "1";
		String[] values = java.util.Collections.nCopies(5000, value).toArray(String[]::new);
		Instant now = Instant.now();
		Record huge = huge("oversized", now, TestRecords.decimals(values), values.length);
		Record before = record(this.prefix + "before-oversized", now, "pod-huge", 1);

		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> recordBatch(before, huge))
			.extracting((ex) -> ex.getStatus().getCode())
			.isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
		assertNotStored(before, huge);
	}

	/** A record with {@code values} as both input and output. */
	private Record huge(String name, Instant now, Values values, int length) {
		return record(this.prefix + name, now, "pod-huge").toBuilder()
			.setInput(values)
			.setOutput(values)
			.setLength(length)
			.build();
	}

	private void assertNotStored(Record... records) {
		for (Record record : records) {
			assertThatExceptionOfType(StatusRuntimeException.class).as(record.getRequestId())
				.isThrownBy(() -> this.history
					.getRecord(GetRecordRequest.newBuilder().setRequestId(record.getRequestId()).build()))
				.extracting((ex) -> ex.getStatus().getCode())
				.isEqualTo(Status.Code.NOT_FOUND);
		}
	}

}
