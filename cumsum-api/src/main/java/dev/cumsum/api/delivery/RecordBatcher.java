package dev.cumsum.api.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.Values;
import dev.cumsum.transaction.v1.RecordBatchRequest;
import dev.cumsum.transaction.v1.RecordBatchResponse;
import dev.cumsum.transaction.v1.TransactionServiceGrpc.TransactionServiceFutureStub;
import io.grpc.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * Micro-batching: many concurrent requests share one RecordBatch call (one MongoDB insertMany).
 * A single dispatcher takes whatever is buffered when a call slot is free, so batches stay small
 * when idle (low latency) and grow under load (high throughput). Strict callers wait on their
 * record's future until their deadline, and a record whose caller gave up before it was sent is
 * never sent. Async batches are retried with backoff while the failure is transient
 * ({@link CallFailure#retryable()}) until acknowledged or, at shutdown, the drain deadline passes
 * (then they are counted and logged as lost, never dropped silently); a permanent failure is
 * counted and logged as failed and released. A record whose id transaction-api reports in
 * {@code conflicting_request_ids} (the id is stored for a different request) fails with
 * {@link RequestIdConflictException}.
 */
class RecordBatcher implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RecordBatcher.class);

	/** Stops after the web server finished its in-flight requests, so their records are sent. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final TransactionServiceFutureStub stub;

	private final Tracer tracer;

	private final DeliveryProperties properties;

	private final boolean retryUntilAcknowledged;

	private final LinkedBlockingQueue<Pending> buffer;

	private final Semaphore calls;

	/** Estimated heap bytes of the records held, buffered or in an unsettled batch (bufferMaxBytes). */
	private final AtomicLong heldBytes = new AtomicLong();

	private final DeliveryMetrics metrics;

	private final long bufferBytesBudget;

	private volatile ScheduledExecutorService retries;

	private volatile Thread dispatcher;

	/** Batches sent and not yet settled (in flight or waiting for a retry). */
	private final Set<List<Pending>> outstanding = ConcurrentHashMap.newKeySet();

	private volatile boolean accepting;

	private volatile boolean running;

	private volatile long drainDeadline = Long.MAX_VALUE;

	RecordBatcher(TransactionServiceFutureStub stub, DeliveryProperties properties, MeterRegistry registry) {
		this(stub, properties, registry, Tracer.NOOP);
	}

	RecordBatcher(TransactionServiceFutureStub stub, DeliveryProperties properties, MeterRegistry registry,
			Tracer tracer) {
		this.tracer = tracer;
		this.stub = stub;
		this.properties = properties;
		this.retryUntilAcknowledged = properties.mode() == DeliveryMode.ASYNC;
		this.buffer = new LinkedBlockingQueue<>(properties.bufferCapacity());
		this.calls = new Semaphore(properties.maxInFlight());
		this.bufferBytesBudget = properties.bufferBytesBudget();
		this.metrics = new DeliveryMetrics(registry, properties.mode(), this.buffer::size, properties.bufferCapacity(),
				this.heldBytes::get);
	}

	/** @return the record's acknowledgement, or null when the buffer is full (records or bytes) or shutting down */
	CompletableFuture<Void> offer(Record record) {
		Pending pending = offer(record, System.nanoTime() + this.properties.timeout().toNanos());
		return (pending != null) ? pending.acknowledged() : null;
	}

	/**
	 * @param deadline {@link System#nanoTime()} after which the caller no longer waits (strict): a
	 * batch's call never outlives the last deadline of its records
	 * @return the pending record, or null when the buffer is full (records or bytes) or shutting down
	 */
	Pending offer(Record record, long deadline) {
		if (!this.accepting) {
			return null;
		}
		long size = heldSize(record);
		long held = this.heldBytes.addAndGet(size);
		if (held > this.bufferBytesBudget && held != size) {
			this.heldBytes.addAndGet(-size);
			this.metrics.rejected();
			return null;
		}
		Pending pending = new Pending(record, size, new CompletableFuture<>(),
				this.tracer.currentTraceContext().context(), deadline, new AtomicBoolean());
		if (!this.buffer.offer(pending)) {
			this.heldBytes.addAndGet(-size);
			this.metrics.rejected();
			return null;
		}
		return pending;
	}

	/**
	 * What a record costs in the heap while held, which bufferMaxBytes bounds: its serialized size,
	 * plus for each decimal value its String (header, array, reference: 56 bytes) and for each
	 * integer 8 bytes (the serialized form of a small integer is one byte, the held form eight),
	 * plus 256 bytes for the record, its future and its trace context.
	 */
	static long heldSize(Record record) {
		return record.getSerializedSize() + valuesHeap(record.getInput()) + valuesHeap(record.getOutput()) + 256;
	}

	private static long valuesHeap(Values values) {
		return 56L * values.getDecimals().getValuesCount() + 8L * values.getInts().getValuesCount();
	}

	/**
	 * A strict caller's deadline passed: if the record was not yet taken into a batch it never
	 * will be (counted as failed).
	 * @return true when the record was never sent (so it is certainly not stored)
	 */
	boolean withdraw(Pending pending, Throwable reason) {
		boolean neverSent = pending.taken().compareAndSet(false, true);
		if (neverSent) {
			// its place in the buffer and its bytes are free at once, not when the dispatcher gets to it
			this.buffer.remove(pending);
			release(List.of(pending));
		}
		giveUp(pending.acknowledged(), reason);
		return neverSent;
	}

	/**
	 * Strict callers give up on a record after their timeout; exactly one of acknowledged, failed
	 * or lost is counted per record, whichever settles its future first.
	 */
	void giveUp(CompletableFuture<Void> acknowledged, Throwable reason) {
		if (acknowledged.completeExceptionally(reason)) {
			this.metrics.failed(1);
		}
	}

	private void dispatch() {
		while (this.running || !this.buffer.isEmpty()) {
			try {
				// a call slot first: a record taken from the buffer is never left waiting in this thread
				this.calls.acquire();
				Pending first = this.buffer.poll(100, TimeUnit.MILLISECONDS);
				if (first == null) {
					this.calls.release();
					continue;
				}
				List<Pending> batch = drainBatch(first);
				if (batch.isEmpty()) {
					this.calls.release();
					continue;
				}
				send(batch, 1);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			catch (RuntimeException ex) {
				log.error("Delivery dispatcher error", ex);
			}
		}
	}

	/**
	 * The first record plus what else is buffered, up to the batch limits. Records whose caller
	 * already gave up are dropped (never sent), and an id already in the batch ends it, so that one
	 * call never carries two records with one id (a conflict reported for the id would be ambiguous).
	 */
	private List<Pending> drainBatch(Pending first) {
		List<Pending> batch = new ArrayList<>();
		Set<String> ids = new HashSet<>();
		long bytes = 0;
		long maxBytes = this.properties.maxBatchBytes().toBytes();
		Pending next = first;
		while (next != null) {
			// a record withdrawn by its strict caller (who gave its bytes back) is never sent
			if (next.taken().compareAndSet(false, true)) {
				batch.add(next);
				ids.add(next.record().getRequestId());
				bytes += next.size();
			}
			if (batch.size() >= this.properties.maxBatchSize()) {
				break;
			}
			next = this.buffer.peek();
			if (next == null || (!batch.isEmpty() && bytes + next.size() > maxBytes)
					|| ids.contains(next.record().getRequestId())) {
				break;
			}
			next = this.buffer.poll();
		}
		return batch;
	}

	/** A strict batch's call lasts until its last caller gives up; an async one the configured timeout. */
	private long callTimeoutNanos(List<Pending> batch) {
		if (this.retryUntilAcknowledged) {
			return this.properties.timeout().toNanos();
		}
		long last = Long.MIN_VALUE;
		for (Pending pending : batch) {
			last = Math.max(last, pending.deadline());
		}
		return Math.max(TimeUnit.MILLISECONDS.toNanos(1), last - System.nanoTime());
	}

	private void send(List<Pending> batch, int attempt) {
		this.outstanding.add(batch);
		RecordBatchRequest.Builder request = RecordBatchRequest.newBuilder();
		batch.forEach((pending) -> request.addRecords(pending.record()));
		long start = System.nanoTime();
		Span span = batchSpan(batch, attempt);
		com.google.common.util.concurrent.ListenableFuture<RecordBatchResponse> call;
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			call = this.stub.withDeadlineAfter(callTimeoutNanos(batch), TimeUnit.NANOSECONDS)
				.recordBatch(request.build());
		}
		Futures.addCallback(call,
				new FutureCallback<RecordBatchResponse>() {

					@Override
					public void onSuccess(RecordBatchResponse response) {
						span.end();
						RecordBatcher.this.metrics.sent(batch.size(), System.nanoTime() - start, true);
						acknowledge(batch, response);
						settle(batch);
					}

					@Override
					public void onFailure(Throwable failure) {
						span.error(failure).end();
						RecordBatcher.this.metrics.sent(batch.size(), System.nanoTime() - start, false);
						retryOrFail(batch, attempt, failure);
					}

				}, MoreExecutors.directExecutor());
	}

	/**
	 * One call serves many requests: its span continues the first record's trace (so a request
	 * alone in its batch has one unbroken trace: HTTP, batch, gRPC client, gRPC server, MongoDB)
	 * and links the traces of the others.
	 */
	private Span batchSpan(List<Pending> batch, int attempt) {
		Span.Builder span = this.tracer.spanBuilder()
			.name("cumsum.delivery.batch")
			.kind(Span.Kind.CLIENT)
			.tag("cumsum.delivery.records", batch.size())
			.tag("cumsum.delivery.attempt", attempt);
		TraceContext parent = batch.getFirst().traceContext();
		if (parent != null) {
			span.setParent(parent);
		}
		for (int i = 1; i < batch.size(); i++) {
			TraceContext other = batch.get(i).traceContext();
			if (other != null) {
				span.addLink(new Link(other));
			}
		}
		return span.start();
	}

	private void acknowledge(List<Pending> batch, RecordBatchResponse response) {
		Set<String> conflicting = Set.copyOf(response.getConflictingRequestIdsList());
		int acknowledged = 0;
		for (Pending pending : batch) {
			String id = pending.record().getRequestId();
			if (conflicting.contains(id)) {
				if (pending.acknowledged().completeExceptionally(new RequestIdConflictException(id))) {
					this.metrics.conflict();
					log.warn("Record {} NOT STORED: its request id is already stored for a different request "
							+ "(reused X-Request-Id)", id);
				}
			}
			else {
				acknowledged += pending.acknowledged().complete(null) ? 1 : 0;
			}
		}
		this.metrics.acknowledged(acknowledged);
	}

	private void retryOrFail(List<Pending> batch, int attempt, Throwable failure) {
		if (!this.retryUntilAcknowledged) {
			batch.forEach((pending) -> giveUp(pending.acknowledged(), failure));
			settle(batch);
			return;
		}
		CallFailure kind = CallFailure.of(failure);
		if (!kind.retryable()) {
			fail(batch, kind, failure);
			settle(batch);
			return;
		}
		Duration pause = backoff(attempt);
		if (System.nanoTime() + pause.toNanos() > this.drainDeadline) {
			lose(batch, failure);
			settle(batch);
			return;
		}
		log.warn("RecordBatch of {} records failed (attempt {}), retrying in {} ms: {}", batch.size(), attempt,
				pause.toMillis(), failure.toString());
		this.metrics.retried();
		this.retries.schedule(() -> send(batch, attempt + 1), pause.toMillis(), TimeUnit.MILLISECONDS);
	}

	/** Async: a permanent failure is not retried; its records are counted, logged and released. */
	private void fail(List<Pending> batch, CallFailure kind, Throwable failure) {
		List<String> ids = new ArrayList<>();
		for (Pending pending : batch) {
			if (pending.acknowledged().completeExceptionally(failure)) {
				this.metrics.failed(1);
				ids.add(pending.record().getRequestId());
			}
		}
		if (!ids.isEmpty()) {
			log.error("RecordBatch failed permanently ({}): {} records given up, not retried ({}): {}",
					Status.fromThrowable(failure).getCode(), ids.size(),
					kind.mayHaveStored() ? "each may or may not be stored" : "none was stored", ids);
			log.debug("RecordBatch failure", failure);
		}
	}

	private Duration backoff(int attempt) {
		long base = this.properties.retryBackoff().toMillis() << Math.min(attempt - 1, 16);
		long capped = Math.min(base, this.properties.maxRetryBackoff().toMillis());
		return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
	}

	private void settle(List<Pending> batch) {
		if (this.outstanding.remove(batch)) {
			release(batch);
			this.calls.release();
		}
	}

	private void release(List<Pending> records) {
		long bytes = 0L;
		for (Pending pending : records) {
			bytes += pending.size();
		}
		this.heldBytes.addAndGet(-bytes);
	}

	private void lose(List<Pending> batch, Throwable cause) {
		for (Pending pending : batch) {
			if (pending.acknowledged().completeExceptionally(cause)) {
				this.metrics.lost(1);
				log.error("Record {} LOST: not acknowledged by transaction-api before the shutdown drain deadline ({})",
						pending.record().getRequestId(), cause.toString());
			}
		}
	}

	/** Threads are made here, not in the constructor, so a stopped context can be started again. */
	@Override
	public void start() {
		this.drainDeadline = Long.MAX_VALUE;
		this.retries = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("delivery-retry").daemon().factory());
		this.dispatcher = Thread.ofPlatform().name("delivery-dispatcher").daemon().unstarted(this::dispatch);
		this.running = true;
		this.accepting = true;
		this.dispatcher.start();
	}

	/** Stops taking records, then sends what is buffered until the drain deadline. */
	@Override
	public void stop() {
		this.accepting = false;
		this.drainDeadline = System.nanoTime() + this.properties.drainTimeout().toNanos();
		this.running = false;
		try {
			this.dispatcher.join(this.properties.drainTimeout().toMillis());
			long left = this.drainDeadline - System.nanoTime();
			if (left > 0 && this.calls.tryAcquire(this.properties.maxInFlight(), left, TimeUnit.NANOSECONDS)) {
				this.calls.release(this.properties.maxInFlight());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.dispatcher.interrupt();
		this.retries.shutdownNow();
		IllegalStateException shutdown = new IllegalStateException("shutdown drain deadline passed");
		List<Pending> drained = new ArrayList<>();
		this.buffer.drainTo(drained);
		// taken here, so that a strict caller withdrawing one now does not give its bytes back twice
		List<Pending> left = drained.stream().filter((pending) -> pending.taken().compareAndSet(false, true)).toList();
		lose(left, shutdown);
		release(left);
		// outstanding batches give their bytes and call slots back when their calls end (settle)
		for (List<Pending> batch : this.outstanding) {
			lose(batch, shutdown);
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

	/**
	 * A record held by the batcher. {@code taken} is set once, by whichever comes first: the
	 * dispatcher putting it into a batch, or its strict caller withdrawing it at its deadline.
	 */
	record Pending(Record record, long size, CompletableFuture<Void> acknowledged, TraceContext traceContext,
			long deadline, AtomicBoolean taken) {
	}

}
