package dev.cumsum.api.delivery;

import java.util.concurrent.CompletableFuture;

import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.TransactionServiceGrpc.TransactionServiceFutureStub;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;

import org.springframework.context.SmartLifecycle;

/**
 * Micro-batching: many concurrent requests share one RecordBatch call (one MongoDB
 * insertMany). This puts the parts together and runs them with the application:
 * {@link HeldRecords} (the buffer, its record and byte budgets, the call slots),
 * {@link BatchTaker} (the dispatcher making batches), {@link BatchSender} (one call per
 * batch, async retries) and {@link RecordOutcomes} (each record's future and its count).
 * Strict callers wait on their record's future until their deadline, and a record whose
 * caller gave up before it was sent is never sent. At shutdown it stops taking records
 * and sends what is held until the drain deadline; what is left then is counted and
 * logged as lost, never dropped silently.
 */
class RecordBatcher implements SmartLifecycle {

	/**
	 * Stops after the web server finished its in-flight requests, so their records are
	 * sent.
	 */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final Tracer tracer;

	private final DeliveryProperties properties;

	private final HeldRecords held;

	private final DeliveryMetrics metrics;

	private final RecordOutcomes outcomes;

	private final BatchSender sender;

	private final BatchTaker taker;

	private volatile boolean accepting;

	private volatile boolean running;

	RecordBatcher(TransactionServiceFutureStub stub, DeliveryProperties properties, MeterRegistry registry) {
		this(stub, properties, registry, Tracer.NOOP);
	}

	RecordBatcher(TransactionServiceFutureStub stub, DeliveryProperties properties, MeterRegistry registry,
			Tracer tracer) {
		this.tracer = tracer;
		this.properties = properties;
		this.held = new HeldRecords(properties.bufferCapacity(), properties.bufferBytesBudget(),
				properties.maxInFlight());
		this.metrics = new DeliveryMetrics(registry, properties.mode(), this.held::size, properties.bufferCapacity(),
				this.held::bytes);
		this.outcomes = new RecordOutcomes(this.metrics);
		this.sender = new BatchSender(stub, tracer, properties, this.held, this.outcomes, this.metrics);
		this.taker = new BatchTaker(this.held, properties.maxBatchSize(), properties.maxBatchBytes().toBytes(),
				this.sender::send);
	}

	/**
	 * @return the record's acknowledgement, or null when the buffer is full (records or
	 * bytes) or shutting down
	 */
	CompletableFuture<Void> offer(Record record) {
		Pending pending = offer(record, System.nanoTime() + this.properties.timeout().toNanos());
		return (pending != null) ? pending.acknowledged() : null;
	}

	/**
	 * @param deadline {@link System#nanoTime()} after which the caller no longer waits
	 * (strict): a batch's call never outlives the last deadline of its records
	 * @return the pending record, or null when the buffer is full (records or bytes) or
	 * shutting down
	 */
	Pending offer(Record record, long deadline) {
		if (!this.accepting) {
			return null;
		}
		Pending pending = Pending.of(record, this.tracer.currentTraceContext().context(), deadline);
		if (!this.held.hold(pending)) {
			this.metrics.rejected();
			return null;
		}
		return pending;
	}

	/**
	 * A strict caller's deadline passed: if the record was not yet taken into a batch it
	 * never will be (counted as failed).
	 * @return true when the record was never sent (so it is certainly not stored)
	 */
	boolean withdraw(Pending pending, Throwable reason) {
		boolean neverSent = this.held.withdraw(pending);
		this.outcomes.giveUp(pending.acknowledged(), reason);
		return neverSent;
	}

	/**
	 * Threads are made here, not in the constructor, so a stopped context can be started
	 * again.
	 */
	@Override
	public void start() {
		this.sender.start();
		this.running = true;
		this.accepting = true;
		this.taker.start();
	}

	/** Stops taking records, then sends what is buffered until the drain deadline. */
	@Override
	public void stop() {
		this.accepting = false;
		long drainDeadline = System.nanoTime() + this.properties.drainTimeout().toNanos();
		this.sender.drainUntil(drainDeadline);
		this.running = false;
		try {
			this.taker.finish(this.properties.drainTimeout());
			this.held.awaitNoCalls(drainDeadline);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.taker.interrupt();
		this.sender.stop();
		IllegalStateException shutdown = new IllegalStateException("shutdown drain deadline passed");
		this.outcomes.lose(this.held.takeUnsent(), shutdown);
		// outstanding batches give their bytes and call slots back when their calls end
		// (settle)
		for (var batch : this.held.outstanding()) {
			this.outcomes.lose(batch, shutdown);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
