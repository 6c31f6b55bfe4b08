package dev.cumsum.api.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

import dev.cumsum.api.TransactionServiceDouble;
import dev.cumsum.api.TransactionServiceDouble.Behaviour;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RecordBatcher}, its parts together, over a real gRPC channel to the
 * transaction-api test double: batching, async retries, back-pressure and shutdown
 * draining, checked through the double's store and the batcher's counters.
 */
class RecordBatcherTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private TransactionServiceDouble transactions;

	private ManagedChannel channel;

	private RecordBatcher batcher;

	@BeforeEach
	void connect() {
		this.transactions = TransactionServiceDouble.start();
		this.channel = NettyChannelBuilder.forAddress("127.0.0.1", this.transactions.port()).usePlaintext().build();
	}

	@AfterEach
	void close() throws InterruptedException {
		if (this.batcher != null && this.batcher.isRunning()) {
			this.batcher.stop();
		}
		this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		this.transactions.close();
	}

	@Test
	void concurrentStrictRequestsShareFewRecordBatchCalls() throws Exception {
		this.transactions.delay(Duration.ofMillis(20));
		start(properties(DeliveryMode.STRICT, 10_000, 500, 2, Duration.ofSeconds(10), Duration.ofSeconds(5)));
		int threads = 16;
		int perThread = 25;
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> requests = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				// like strict request threads: offer, then wait for the acknowledgement
				requests.add(pool.submit(() -> {
					for (int i = 0; i < perThread; i++) {
						this.batcher.offer(record("t" + thread + "-" + i)).get(10, TimeUnit.SECONDS);
					}
					return null;
				}));
			}
			for (Future<?> request : requests) {
				request.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
		int records = threads * perThread;
		assertThat(this.transactions.records()).hasSize(records);
		assertThat(this.transactions.recordBatchCalls()).isLessThan(records / 2);
		assertThat(this.transactions.batchSizes()).hasSize(this.transactions.recordBatchCalls());
		assertThat(this.transactions.batchSizes().stream().mapToInt(Integer::intValue).max().orElseThrow())
			.isGreaterThan(1);
		// the counters move just after the futures complete
		await(() -> records(DeliveryMode.STRICT, "acknowledged") == records);
		assertThat(this.registry.get("cumsum.delivery.batch.size").summary().count())
			.isEqualTo(this.transactions.recordBatchCalls());
		assertThat(this.registry.get("cumsum.delivery.batch.size").summary().totalAmount()).isEqualTo(records);
	}

	@Test
	void strictFailuresFailTheirRecordsWithoutRetrying() {
		this.transactions.behave(Behaviour.UNAVAILABLE);
		start(properties(DeliveryMode.STRICT, 100, 500, 1, Duration.ofSeconds(5), Duration.ofSeconds(5)));
		CompletableFuture<Void> acknowledged = this.batcher.offer(record("strict-fail"));

		assertThat(acknowledged).failsWithin(Duration.ofSeconds(5));
		// the counter moves just after the future completes
		await(() -> records(DeliveryMode.STRICT, "failed") == 1);
		assertThat(this.registry.get("cumsum.delivery.retries").counter().count()).isZero();
		assertThat(this.transactions.recordBatchCalls()).isEqualTo(1);
	}

	@Test
	void asyncRetriesAFailingHistoryUntilItRecoversAndLosesNothing() {
		this.transactions.behave(Behaviour.UNAVAILABLE);
		start(properties(DeliveryMode.ASYNC, 1_000, 20, 2, Duration.ofSeconds(2), Duration.ofSeconds(5)));
		List<CompletableFuture<Void>> acknowledged = IntStream.range(0, 100)
			.mapToObj((i) -> this.batcher.offer(record("async-" + i)))
			.toList();
		assertThat(acknowledged).doesNotContainNull();

		await(() -> this.registry.get("cumsum.delivery.retries").counter().count() >= 5);
		assertThat(this.transactions.records()).isEmpty();
		assertThat(acknowledged).noneMatch(CompletableFuture::isDone);

		this.transactions.behave(Behaviour.NORMAL);
		CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new)).orTimeout(15, TimeUnit.SECONDS).join();
		assertThat(this.transactions.records()).hasSize(100);
		// the counter moves just after the futures complete
		await(() -> records(DeliveryMode.ASYNC, "acknowledged") == 100);
		assertThat(records(DeliveryMode.ASYNC, "failed")).isZero();
		assertThat(records(DeliveryMode.ASYNC, "lost")).isZero();
		assertThat(this.registry.get("cumsum.delivery.batch").tag("outcome", "failure").timer().count())
			.isGreaterThanOrEqualTo(5);
	}

	@Test
	void aFullBufferRejectsAndCounts() {
		this.transactions.behave(Behaviour.HANG);
		start(properties(DeliveryMode.ASYNC, 5, 1, 1, Duration.ofSeconds(30), Duration.ofMillis(300)));
		// one record in the only call slot; the rest wait in the buffer until the slot
		// frees
		assertThat(this.batcher.offer(record("in-flight"))).isNotNull();
		await(() -> this.transactions.recordBatchCalls() == 1);

		for (int i = 0; i < 5; i++) {
			assertThat(this.batcher.offer(record("buffered-" + i))).isNotNull();
		}
		assertThat(bufferSize()).isEqualTo(5);
		assertThat(this.batcher.offer(record("rejected-1"))).isNull();
		assertThat(records(DeliveryMode.ASYNC, "rejected")).isEqualTo(1);
		assertThat(this.batcher.offer(record("rejected-2"))).isNull();
		assertThat(records(DeliveryMode.ASYNC, "rejected")).isEqualTo(2);
		assertThat(this.registry.get("cumsum.delivery.buffer.capacity").gauge().value()).isEqualTo(5);
	}

	/**
	 * Shutdown while the history hangs: the record in the call and the buffered ones (the
	 * dispatcher takes none while it waits for a call slot) are each lost and counted,
	 * none silently dropped.
	 */
	@Test
	void stopCountsEveryRecordAsLostIncludingTheOnesWaitingForACallSlot() {
		this.transactions.behave(Behaviour.HANG);
		start(properties(DeliveryMode.ASYNC, 6, 1, 1, Duration.ofSeconds(30), Duration.ofMillis(300)));
		List<CompletableFuture<Void>> acknowledged = new ArrayList<>();
		acknowledged.add(this.batcher.offer(record("in-flight")));
		await(() -> this.transactions.recordBatchCalls() == 1);
		acknowledged.add(this.batcher.offer(record("waiting")));
		assertThat(bufferSize()).as("no record leaves the buffer without a call slot").isEqualTo(1);
		for (int i = 0; i < 5; i++) {
			acknowledged.add(this.batcher.offer(record("buffered-" + i)));
		}

		this.batcher.stop();

		assertThat(records(DeliveryMode.ASYNC, "lost")).isEqualTo(7);
		assertThat(acknowledged).allMatch(CompletableFuture::isCompletedExceptionally);
	}

	@Test
	void stopSendsWhatIsBufferedWhileTheHistoryIsUp() {
		this.transactions.delay(Duration.ofMillis(30));
		start(properties(DeliveryMode.ASYNC, 1_000, 10, 1, Duration.ofSeconds(5), Duration.ofSeconds(20)));
		List<CompletableFuture<Void>> acknowledged = IntStream.range(0, 100)
			.mapToObj((i) -> this.batcher.offer(record("drain-" + i)))
			.toList();
		assertThat(bufferSize()).as("records still buffered when stop() begins").isPositive();

		this.batcher.stop();

		assertThat(this.batcher.isRunning()).isFalse();
		assertThat(acknowledged).allMatch((future) -> future.isDone() && !future.isCompletedExceptionally());
		assertThat(this.transactions.records()).hasSize(100);
		assertThat(records(DeliveryMode.ASYNC, "acknowledged")).isEqualTo(100);
		assertThat(records(DeliveryMode.ASYNC, "lost")).isZero();
		assertThat(this.batcher.offer(record("too-late"))).isNull();
	}

	@Test
	void stopGivesUpAtTheDrainDeadlineAndCountsEveryUnsentRecordAsLostOnce() throws InterruptedException {
		this.transactions.stop();
		Duration drain = Duration.ofMillis(1500);
		start(properties(DeliveryMode.ASYNC, 1_000, 10, 2, Duration.ofSeconds(1), drain));
		List<CompletableFuture<Void>> acknowledged = IntStream.range(0, 60)
			.mapToObj((i) -> this.batcher.offer(record("doomed-" + i)))
			.toList();
		await(() -> this.registry.get("cumsum.delivery.retries").counter().count() >= 2);

		long start = System.nanoTime();
		this.batcher.stop();
		Duration took = Duration.ofNanos(System.nanoTime() - start);

		// kept trying until close to the deadline, and did not hang past it
		assertThat(took).isBetween(drain.minusMillis(600), drain.plusSeconds(2));
		assertThat(acknowledged).allMatch(CompletableFuture::isCompletedExceptionally);
		assertThat(records(DeliveryMode.ASYNC, "lost")).isEqualTo(60);
		assertThat(records(DeliveryMode.ASYNC, "acknowledged")).isZero();
		// calls still in flight at stop() settle later; none may be counted again
		Thread.sleep(1_500);
		assertThat(records(DeliveryMode.ASYNC, "lost")).isEqualTo(60);
		assertThat(records(DeliveryMode.ASYNC, "failed")).isZero();
	}

	/**
	 * A SmartLifecycle may be stopped and started again (context.stop()/start(), test
	 * context pausing).
	 */
	@Test
	void canBeStartedAgainAfterStop() {
		start(properties(DeliveryMode.STRICT, 100, 500, 1, Duration.ofSeconds(5), Duration.ofSeconds(5)));
		assertThat(this.batcher.offer(record("first-life"))).succeedsWithin(Duration.ofSeconds(5));
		this.batcher.stop();

		this.batcher.start();

		assertThat(this.batcher.isRunning()).isTrue();
		assertThat(this.batcher.offer(record("second-life"))).succeedsWithin(Duration.ofSeconds(5));
		assertThat(this.transactions.records()).containsOnlyKeys("first-life", "second-life");
	}

	/**
	 * The byte budget: large records fill it long before the record count, and beyond it
	 * requests are rejected (503) instead of growing the heap; one record too big for the
	 * budget still goes when nothing else is held, and acknowledged records give their
	 * bytes back.
	 */
	@Test
	void aByteBudgetBoundsWhatIsHeldAndIsGivenBackOnAcknowledgement() {
		this.transactions.behave(Behaviour.HANG);
		Record large = record("large-0", 1_000);
		long size = Pending.heldSize(large);
		start(properties(DeliveryMode.ASYNC, 1_000, DataSize.ofBytes(3L * size), 1, 1, Duration.ofMillis(500),
				Duration.ofMillis(300)));

		assertThat(this.batcher.offer(large)).isNotNull();
		await(() -> this.transactions.recordBatchCalls() == 1);
		assertThat(this.batcher.offer(record("large-1", 1_000))).isNotNull();
		assertThat(this.batcher.offer(record("large-2", 1_000))).isNotNull();
		assertThat(heldBytes()).isEqualTo(3.0 * size);
		assertThat(this.batcher.offer(record("large-3", 1_000))).as("over the byte budget").isNull();
		assertThat(records(DeliveryMode.ASYNC, "rejected")).isEqualTo(1);
		assertThat(bufferSize()).as("far below the record capacity").isEqualTo(2);

		this.transactions.behave(Behaviour.NORMAL);
		await(() -> this.transactions.records().size() == 3);
		await(() -> heldBytes() == 0);
		assertThat(this.batcher.offer(record("large-4", 1_000))).succeedsWithin(Duration.ofSeconds(5));
		Record huge = record("huge", 4_000);
		assertThat(Pending.heldSize(huge)).isGreaterThan(3 * size);
		await(() -> heldBytes() == 0);
		assertThat(this.batcher.offer(huge)).as("alone, a record over the budget still goes")
			.succeedsWithin(Duration.ofSeconds(5));
		assertThat(this.transactions.records()).containsKeys("large-0", "large-1", "large-2", "large-4", "huge")
			.doesNotContainKey("large-3");
	}

	/**
	 * Permanent failures are not retried in async mode: counted and logged as failed, and
	 * released.
	 */
	@ParameterizedTest
	@EnumSource(names = { "INVALID_ARGUMENT", "FAILED_PRECONDITION", "INTERNAL", "UNKNOWN", "CANCELLED", "DATA_LOSS",
			"PERMISSION_DENIED" })
	void asyncDoesNotRetryAPermanentFailure(Status.Code code) {
		this.transactions.failWith(code);
		start(properties(DeliveryMode.ASYNC, 1_000, 20, 2, Duration.ofSeconds(2), Duration.ofSeconds(5)));
		List<CompletableFuture<Void>> acknowledged = IntStream.range(0, 30)
			.mapToObj((i) -> this.batcher.offer(record("poison-" + i)))
			.toList();

		CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new))
			.handle((ok, failure) -> null)
			.orTimeout(10, TimeUnit.SECONDS)
			.join();
		assertThat(acknowledged).allMatch(CompletableFuture::isCompletedExceptionally);
		await(() -> records(DeliveryMode.ASYNC, "failed") == 30);
		await(() -> heldBytes() == 0);
		assertThat(this.registry.get("cumsum.delivery.retries").counter().count()).isZero();
		// every record was sent once: the call slots are free again for good records
		assertThat(this.transactions.recordBatchCalls()).isLessThanOrEqualTo(30);
		this.transactions.behave(Behaviour.NORMAL);
		assertThat(this.batcher.offer(record("after-poison"))).succeedsWithin(Duration.ofSeconds(5));
	}

	@ParameterizedTest
	@EnumSource(names = { "UNAVAILABLE", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED" })
	void asyncRetriesATransientFailureUntilItPasses(Status.Code code) {
		this.transactions.failWith(code);
		start(properties(DeliveryMode.ASYNC, 1_000, 20, 2, Duration.ofSeconds(2), Duration.ofSeconds(5)));
		CompletableFuture<Void> acknowledged = this.batcher.offer(record("transient"));

		await(() -> this.registry.get("cumsum.delivery.retries").counter().count() >= 2);
		assertThat(acknowledged).isNotDone();
		this.transactions.behave(Behaviour.NORMAL);

		assertThat(acknowledged).succeedsWithin(Duration.ofSeconds(10));
		assertThat(records(DeliveryMode.ASYNC, "failed")).isZero();
	}

	/**
	 * transaction-api reports an id stored for a different request: not stored, counted,
	 * never retried.
	 */
	@ParameterizedTest
	@EnumSource(names = { "STRICT", "ASYNC" })
	void aConflictingIdFailsThatRecordOnlyAndIsCounted(DeliveryMode mode) {
		this.transactions.conflictOn("reused");
		start(properties(mode, 1_000, 20, 1, Duration.ofSeconds(2), Duration.ofSeconds(5)));
		this.transactions.delay(Duration.ofMillis(200));
		// the first call carries "first" alone; the other three share the next one
		CompletableFuture<Void> first = this.batcher.offer(record("first"));
		await(() -> this.transactions.recordBatchCalls() == 1);
		CompletableFuture<Void> before = this.batcher.offer(record("before"));
		CompletableFuture<Void> reused = this.batcher.offer(record("reused"));
		CompletableFuture<Void> after = this.batcher.offer(record("after"));

		assertThat(List.of(first, before, after))
			.allSatisfy((future) -> assertThat(future).succeedsWithin(Duration.ofSeconds(5)));
		assertThat(reused).failsWithin(Duration.ofSeconds(5))
			.withThrowableOfType(java.util.concurrent.ExecutionException.class)
			.havingCause()
			.isInstanceOf(RequestIdConflictException.class);
		assertThat(this.transactions.batchSizes()).containsExactly(1, 3);
		assertThat(this.transactions.records()).containsOnlyKeys("first", "before", "after");
		// counted by the dispatcher after the callers' futures completed
		await(() -> records(mode, "conflict") == 1 && records(mode, "acknowledged") == 3);
		assertThat(records(mode, "failed")).isZero();
		assertThat(this.registry.get("cumsum.delivery.retries").counter().count()).isZero();
		await(() -> heldBytes() == 0);
	}

	/**
	 * A strict caller whose deadline passed while its record waited for a call slot: it
	 * is never sent.
	 */
	@Test
	void aRecordWithdrawnBeforeItWasSentIsNeverSent() {
		this.transactions.behave(Behaviour.HANG);
		start(properties(DeliveryMode.STRICT, 100, 20, 1, Duration.ofSeconds(5), Duration.ofMillis(300)));
		long deadline = System.nanoTime() + Duration.ofMillis(800).toNanos();
		Pending inCall = this.batcher.offer(record("in-call"), deadline);
		await(() -> this.transactions.recordBatchCalls() == 1);
		Pending waiting = this.batcher.offer(record("waiting"), deadline);

		assertThat(this.batcher.withdraw(waiting, new java.util.concurrent.TimeoutException()))
			.as("never sent: certainly not stored")
			.isTrue();
		assertThat(bufferSize()).as("its place in the buffer is free at once").isZero();
		assertThat(heldBytes()).as("and its bytes").isEqualTo(Pending.heldSize(record("in-call")));
		assertThat(this.batcher.withdraw(inCall, new java.util.concurrent.TimeoutException()))
			.as("sent: outcome unknown")
			.isFalse();

		// the hung call ends at the last deadline of its records; the withdrawn record
		// stays unsent
		this.transactions.behave(Behaviour.NORMAL);
		await(() -> heldBytes() == 0);
		assertThat(this.batcher.offer(record("later"))).succeedsWithin(Duration.ofSeconds(5));
		assertThat(this.transactions.records()).containsOnlyKeys("later");
		assertThat(this.transactions.recordBatchCalls()).isEqualTo(2);
		assertThat(records(DeliveryMode.STRICT, "failed")).isEqualTo(2);
	}

	/**
	 * A strict call never outlives its last waiting caller, whatever the configured
	 * timeout.
	 */
	@Test
	void aStrictCallsDeadlineIsItsLastRecordsDeadline() {
		this.transactions.behave(Behaviour.HANG);
		start(properties(DeliveryMode.STRICT, 100, 20, 1, Duration.ofSeconds(30), Duration.ofMillis(300)));
		long start = System.nanoTime();
		Pending pending = this.batcher.offer(record("short"), start + Duration.ofMillis(400).toNanos());

		assertThat(pending.acknowledged()).failsWithin(Duration.ofSeconds(5));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
		assertThat(Status.fromThrowable(pending.acknowledged().exceptionNow()).getCode())
			.isEqualTo(Status.Code.DEADLINE_EXCEEDED);
	}

	/**
	 * One call never carries two records with one id: a conflict reported for it would be
	 * ambiguous.
	 */
	@Test
	void oneBatchNeverCarriesAnIdTwice() {
		this.transactions.delay(Duration.ofMillis(200));
		start(properties(DeliveryMode.ASYNC, 100, 20, 1, Duration.ofSeconds(5), Duration.ofSeconds(5)));
		List<CompletableFuture<Void>> acknowledged = new ArrayList<>();
		acknowledged.add(this.batcher.offer(record("first")));
		await(() -> this.transactions.recordBatchCalls() == 1);
		for (String id : List.of("a", "twice", "twice", "b")) {
			acknowledged.add(this.batcher.offer(record(id)));
		}

		CompletableFuture.allOf(acknowledged.toArray(CompletableFuture[]::new)).orTimeout(10, TimeUnit.SECONDS).join();
		assertThat(this.transactions.batchSizes()).containsExactly(1, 2, 2);
		assertThat(this.transactions.records()).containsOnlyKeys("first", "a", "twice", "b");
	}

	private void start(DeliveryProperties properties) {
		this.batcher = new RecordBatcher(TransactionServiceGrpc.newFutureStub(this.channel), properties, this.registry);
		this.batcher.start();
	}

	/** Short backoffs so that retries happen within a test. */
	private static DeliveryProperties properties(DeliveryMode mode, int bufferCapacity, int maxBatchSize,
			int maxInFlight, Duration timeout, Duration drainTimeout) {
		return properties(mode, bufferCapacity, DataSize.ofMegabytes(32), maxBatchSize, maxInFlight, timeout,
				drainTimeout);
	}

	private static DeliveryProperties properties(DeliveryMode mode, int bufferCapacity, DataSize bufferMaxBytes,
			int maxBatchSize, int maxInFlight, Duration timeout, Duration drainTimeout) {
		return new DeliveryProperties(mode, bufferCapacity, bufferMaxBytes, maxBatchSize, DataSize.ofMegabytes(4),
				maxInFlight, timeout, Duration.ofMillis(20), Duration.ofMillis(150), drainTimeout,
				Duration.ofSeconds(2));
	}

	private double records(DeliveryMode mode, String result) {
		return this.registry.get("cumsum.delivery.records")
			.tag("delivery", mode.name().toLowerCase(java.util.Locale.ROOT))
			.tag("result", result)
			.counter()
			.count();
	}

	private double bufferSize() {
		return this.registry.get("cumsum.delivery.buffer.size").gauge().value();
	}

	private double heldBytes() {
		return this.registry.get("cumsum.delivery.buffer.held").gauge().value();
	}

	private static Record record(String id) {
		return record(id, 1);
	}

	private static Record record(String id, int length) {
		return TestRecords.record(id, length);
	}

	private static void await(BooleanSupplier condition) {
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(10))
			.until(condition::getAsBoolean);
	}

}
