package dev.cumsum.api.delivery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.cumsum.api.TransactionServiceDouble;
import dev.cumsum.api.TransactionServiceDouble.Behaviour;
import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.cumsum.api.delivery.TestRecords.pending;
import static dev.cumsum.api.delivery.TestRecords.properties;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link BatchSender} on its own, over a real gRPC channel to the transaction-api test
 * double: one call per batch, settlement, async retries with backoff, the drain deadline.
 */
class BatchSenderTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private TransactionServiceDouble transactions;

	private ManagedChannel channel;

	private HeldRecords held;

	private BatchSender sender;

	@BeforeEach
	void connect() {
		this.transactions = TransactionServiceDouble.start();
		this.channel = NettyChannelBuilder.forAddress("127.0.0.1", this.transactions.port()).usePlaintext().build();
	}

	@AfterEach
	void close() throws InterruptedException {
		if (this.sender != null) {
			this.sender.stop();
		}
		this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		this.transactions.close();
	}

	@Test
	void aBatchIsOneCallAndItsRecordsAreAcknowledgedAndReleased() throws InterruptedException {
		start(DeliveryMode.STRICT);
		List<Pending> batch = take(pending("a"), pending("b"), pending("c"));

		this.sender.send(batch);

		batch.forEach((pending) -> assertThat(pending.acknowledged()).succeedsWithin(Duration.ofSeconds(5)));
		assertThat(this.transactions.batchSizes()).containsExactly(3);
		assertThat(this.transactions.records()).containsOnlyKeys("a", "b", "c");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.held.outstanding().isEmpty() && this.held.bytes() == 0);
		assertThat(records("acknowledged")).isEqualTo(3);
	}

	@Test
	void aConflictingIdFailsOnlyThatRecord() throws InterruptedException {
		this.transactions.conflictOn("reused");
		start(DeliveryMode.ASYNC);
		Pending fresh = pending("fresh");
		Pending reused = pending("reused");

		this.sender.send(take(fresh, reused));

		assertThat(fresh.acknowledged()).succeedsWithin(Duration.ofSeconds(5));
		assertThat(reused.acknowledged()).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(RequestIdConflictException.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> records("conflict") == 1 && records("acknowledged") == 1);
	}

	@Test
	void strictFailsTheBatchAtOnceWithoutRetrying() throws InterruptedException {
		this.transactions.behave(Behaviour.UNAVAILABLE);
		start(DeliveryMode.STRICT);
		Pending record = pending("strict");

		this.sender.send(take(record));

		assertThat(record.acknowledged()).failsWithin(Duration.ofSeconds(5));
		await().atMost(Duration.ofSeconds(5)).until(() -> records("failed") == 1 && this.held.outstanding().isEmpty());
		assertThat(this.transactions.recordBatchCalls()).isEqualTo(1);
		assertThat(this.registry.get("cumsum.delivery.retries").counter().count()).isZero();
	}

	@Test
	void asyncSendsATransientlyFailedBatchAgainUntilItIsAcknowledged() throws InterruptedException {
		this.transactions.failWith(Status.Code.RESOURCE_EXHAUSTED);
		start(DeliveryMode.ASYNC);
		Pending record = pending("transient");

		this.sender.send(take(record));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.transactions.recordBatchCalls() >= 3);
		this.transactions.behave(Behaviour.NORMAL);

		assertThat(record.acknowledged()).succeedsWithin(Duration.ofSeconds(5));
		assertThat(this.transactions.records()).containsOnlyKeys("transient");
		assertThat(this.registry.get("cumsum.delivery.retries").counter().count()).isGreaterThanOrEqualTo(2);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.held.outstanding().isEmpty());
	}

	@Test
	void asyncDoesNotSendAPermanentlyFailedBatchAgain() throws InterruptedException {
		this.transactions.failWith(Status.Code.INVALID_ARGUMENT);
		start(DeliveryMode.ASYNC);
		Pending record = pending("poison");

		this.sender.send(take(record));

		assertThat(record.acknowledged()).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
		await().atMost(Duration.ofSeconds(5)).until(() -> records("failed") == 1 && this.held.outstanding().isEmpty());
		assertThat(this.transactions.recordBatchCalls()).isEqualTo(1);
	}

	@Test
	void pastTheDrainDeadlineAFailedBatchIsLostInsteadOfRetried() throws InterruptedException {
		this.transactions.behave(Behaviour.UNAVAILABLE);
		start(DeliveryMode.ASYNC);
		this.sender.drainUntil(System.nanoTime());
		Pending record = pending("doomed");

		this.sender.send(take(record));

		assertThat(record.acknowledged()).failsWithin(Duration.ofSeconds(5));
		await().atMost(Duration.ofSeconds(5)).until(() -> records("lost") == 1 && this.held.outstanding().isEmpty());
		assertThat(this.transactions.recordBatchCalls()).isEqualTo(1);
	}

	@Test
	void theBackoffDoublesUpToItsMaximumWithJitter() {
		start(DeliveryMode.ASYNC);
		// retry-backoff 20 ms, max-retry-backoff 150 ms: half of it to all of it
		IntStream.range(0, 100).forEach((i) -> {
			assertThat(this.sender.backoff(1)).isBetween(Duration.ofMillis(10), Duration.ofMillis(20));
			assertThat(this.sender.backoff(2)).isBetween(Duration.ofMillis(20), Duration.ofMillis(40));
			assertThat(this.sender.backoff(30)).isBetween(Duration.ofMillis(75), Duration.ofMillis(150));
		});
	}

	private void start(DeliveryMode mode) {
		DeliveryProperties properties = properties(mode, Duration.ofSeconds(2));
		this.held = new HeldRecords(properties.bufferCapacity(), Long.MAX_VALUE, properties.maxInFlight());
		DeliveryMetrics metrics = new DeliveryMetrics(this.registry, mode, this.held::size, properties.bufferCapacity(),
				this.held::bytes);
		this.sender = new BatchSender(TransactionServiceGrpc.newFutureStub(this.channel), Tracer.NOOP, properties,
				this.held, new RecordOutcomes(metrics), metrics);
		this.sender.start();
	}

	/**
	 * Holds the records and takes them as one batch with its call slot, as the dispatcher
	 * does.
	 */
	private List<Pending> take(Pending... records) throws InterruptedException {
		for (Pending pending : records) {
			assertThat(this.held.hold(pending)).isTrue();
			pending.taken().set(true);
		}
		this.held.acquireCall();
		List<Pending> batch = List.of(records);
		batch.forEach((pending) -> this.held.poll());
		return batch;
	}

	private double records(String result) {
		return this.registry.get("cumsum.delivery.records").tag("result", result).counter().count();
	}

}
