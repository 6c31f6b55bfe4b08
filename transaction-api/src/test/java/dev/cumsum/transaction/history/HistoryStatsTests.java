package dev.cumsum.transaction.history;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import dev.cumsum.transaction.TestClients;
import dev.cumsum.transaction.StoreBacked;
import dev.cumsum.transaction.TestRecords;
import dev.cumsum.transaction.v1.GetStatsRequest;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.RecordBatchRequest;
import dev.cumsum.transaction.v1.Stats;
import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import dev.cumsum.transaction.v1.TransactionServiceGrpc.TransactionServiceBlockingStub;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.Test;

import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Totals over a store of many large records (local mode: mongo-java-server reads every
 * document for them) answer within the deadline cumsum-api gives reads, every time, and
 * catch up.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.grpc.server.port=0", "management.server.port=0" })
@DirtiesContext
class HistoryStatsTests extends StoreBacked {

	private static final int RECORDS = 25;

	private static final int ELEMENTS = 100_000;

	/** cumsum.history.read-timeout */
	private static final Duration READ_DEADLINE = Duration.ofSeconds(2);

	@LocalGrpcServerPort
	int grpcPort;

	@Test
	void statsOverManyLargeRecordsAnswerWithinTheReadDeadline() throws Exception {
		ManagedChannel channel = TestClients.channel(this.grpcPort);
		try {
			TransactionServiceBlockingStub history = TransactionServiceGrpc.newBlockingStub(channel);
			// connected and the first totals computed, as in a running service
			await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> stats(history) != null);
			long before = stats(history).getCount();
			String pod = "pod-large-" + UUID.randomUUID().toString().substring(0, 8);
			// decimals as a 1 MiB body gives them: each record is ~5 MB of BSON
			String[] values = LongStream.range(0, ELEMENTS)
				.mapToObj((i) -> "1234567.8901234" + (i % 10))
				.toArray(String[]::new);
			for (int i = 0; i < RECORDS; i++) {
				Record record = TestRecords.record(pod + "-" + i, Instant.now(), pod)
					.toBuilder()
					.setInput(TestRecords.decimals(values))
					.setOutput(TestRecords.decimals(values))
					.setLength(ELEMENTS)
					.build();
				assertThat(history.withDeadlineAfter(60, TimeUnit.SECONDS)
					.recordBatch(RecordBatchRequest.newBuilder().addRecords(record).build())
					.getInserted()).isEqualTo(1);
			}

			// every call answers in time; the totals catch up with the store
			await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
				Stats stats = stats(history);
				assertThat(stats.getCount()).isGreaterThanOrEqualTo(before);
				assertThat(stats.getCountByPodMap()).containsEntry(pod, (long) RECORDS);
			});
			for (int i = 0; i < 5; i++) {
				assertThat(stats(history).getCount()).isEqualTo(before + RECORDS);
			}
		}
		finally {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	/**
	 * GetStats with cumsum-api's read deadline: DEADLINE_EXCEEDED (or UNAVAILABLE) fails
	 * the test at once.
	 */
	private static Stats stats(TransactionServiceBlockingStub history) {
		return history.withDeadlineAfter(READ_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
			.getStats(GetStatsRequest.getDefaultInstance());
	}

}
