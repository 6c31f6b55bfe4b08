package dev.cumsum.api.delivery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.cumsum.transaction.v1.RecordBatchRequest;
import dev.cumsum.transaction.v1.RecordBatchResponse;
import dev.cumsum.transaction.v1.TransactionServiceGrpc.TransactionServiceFutureStub;
import io.micrometer.tracing.Link;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a batch as one RecordBatch call and settles it. Strict: a failure fails the
 * batch's records at once (their callers are waiting). Async: the batch is sent again
 * with exponential backoff and jitter while the failure is transient
 * ({@link CallFailure#retryable()}) until acknowledged or, at shutdown, the drain
 * deadline passes (then its records are lost); a permanent failure fails its records. The
 * channel's own retry policy (UNAVAILABLE, a few attempts within one call's deadline)
 * works below this; this one lasts as long as it must.
 */
final class BatchSender {

	private static final Logger log = LoggerFactory.getLogger(BatchSender.class);

	private final TransactionServiceFutureStub stub;

	private final Tracer tracer;

	private final DeliveryProperties properties;

	private final boolean retryUntilAcknowledged;

	private final HeldRecords held;

	private final RecordOutcomes outcomes;

	private final DeliveryMetrics metrics;

	private volatile ScheduledExecutorService retries;

	private volatile long drainDeadline = Long.MAX_VALUE;

	BatchSender(TransactionServiceFutureStub stub, Tracer tracer, DeliveryProperties properties, HeldRecords held,
			RecordOutcomes outcomes, DeliveryMetrics metrics) {
		// the answer settles the batch on the transport thread that read it (completing
		// futures and counting: nothing blocks), not after a hand-off to the channel's
		// executor, a thread wake-up per call saved
		this.stub = stub.withExecutor(MoreExecutors.directExecutor());
		this.tracer = tracer;
		this.properties = properties;
		this.retryUntilAcknowledged = properties.mode() == DeliveryMode.ASYNC;
		this.held = held;
		this.outcomes = outcomes;
		this.metrics = metrics;
	}

	/** The retry timer is made here, so that a stopped sender can be started again. */
	void start() {
		this.drainDeadline = Long.MAX_VALUE;
		this.retries = Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("delivery-retry").daemon().factory());
	}

	/**
	 * Shutdown: no retry is scheduled to start after the deadline
	 * ({@link System#nanoTime()}).
	 */
	void drainUntil(long deadline) {
		this.drainDeadline = deadline;
	}

	/** Cancels the retries still waiting (their records are lost). */
	void stop() {
		this.retries.shutdownNow();
	}

	/** Sends the batch, which holds a call slot until it settles. */
	void send(List<Pending> batch) {
		send(batch, 1);
	}

	private void send(List<Pending> batch, int attempt) {
		this.held.sent(batch);
		RecordBatchRequest.Builder request = RecordBatchRequest.newBuilder();
		batch.forEach((pending) -> request.addRecords(pending.record()));
		long start = System.nanoTime();
		Span span = batchSpan(batch, attempt);
		ListenableFuture<RecordBatchResponse> call;
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			call = this.stub.withDeadlineAfter(callTimeoutNanos(batch), TimeUnit.NANOSECONDS)
				.recordBatch(request.build());
		}
		Futures.addCallback(call, new FutureCallback<RecordBatchResponse>() {

			@Override
			public void onSuccess(RecordBatchResponse response) {
				span.end();
				BatchSender.this.metrics.sent(batch.size(), System.nanoTime() - start, true);
				BatchSender.this.outcomes.acknowledge(batch, response);
				BatchSender.this.held.settle(batch);
			}

			@Override
			public void onFailure(Throwable failure) {
				span.error(failure).end();
				BatchSender.this.metrics.sent(batch.size(), System.nanoTime() - start, false);
				retryOrFail(batch, attempt, failure);
			}

		}, MoreExecutors.directExecutor());
	}

	/**
	 * A strict batch's call lasts until its last caller gives up; an async one the
	 * configured timeout.
	 */
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

	/**
	 * One call serves many requests: its span continues the first record's trace (so a
	 * request alone in its batch has one unbroken trace: HTTP, batch, gRPC client, gRPC
	 * server, MongoDB) and links the traces of the others.
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

	private void retryOrFail(List<Pending> batch, int attempt, Throwable failure) {
		if (!this.retryUntilAcknowledged) {
			batch.forEach((pending) -> this.outcomes.giveUp(pending.acknowledged(), failure));
			this.held.settle(batch);
			return;
		}
		CallFailure kind = CallFailure.of(failure);
		if (!kind.retryable()) {
			this.outcomes.fail(batch, kind, failure);
			this.held.settle(batch);
			return;
		}
		Duration pause = backoff(attempt);
		if (System.nanoTime() + pause.toNanos() > this.drainDeadline) {
			this.outcomes.lose(batch, failure);
			this.held.settle(batch);
			return;
		}
		log.warn("RecordBatch of {} records failed (attempt {}), retrying in {} ms: {}", batch.size(), attempt,
				pause.toMillis(), failure.toString());
		this.metrics.retried();
		this.retries.schedule(() -> send(batch, attempt + 1), pause.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Exponential from retry-backoff, capped at max-retry-backoff, with jitter: half of
	 * it to all of it.
	 */
	Duration backoff(int attempt) {
		long base = this.properties.retryBackoff().toMillis() << Math.min(attempt - 1, 16);
		long capped = Math.min(base, this.properties.maxRetryBackoff().toMillis());
		return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
	}

}
