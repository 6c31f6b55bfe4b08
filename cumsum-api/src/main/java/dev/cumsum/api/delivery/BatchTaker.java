package dev.cumsum.api.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batching: a single dispatcher thread takes whatever is buffered when a call slot is
 * free, up to max-batch-size records and max-batch-bytes, and hands it over as one batch
 * to be sent. So batches stay small when idle (low latency) and grow under load (high
 * throughput).
 */
final class BatchTaker {

	private static final Logger log = LoggerFactory.getLogger(BatchTaker.class);

	private final HeldRecords held;

	private final int maxBatchSize;

	private final long maxBatchBytes;

	/** Sends the batch, holding the call slot taken for it until the batch settles. */
	private final Consumer<List<Pending>> send;

	private volatile boolean taking;

	private volatile Thread dispatcher;

	BatchTaker(HeldRecords held, int maxBatchSize, long maxBatchBytes, Consumer<List<Pending>> send) {
		this.held = held;
		this.maxBatchSize = maxBatchSize;
		this.maxBatchBytes = maxBatchBytes;
		this.send = send;
	}

	/** The thread is made here, so that a stopped taker can be started again. */
	void start() {
		this.dispatcher = Thread.ofPlatform().name("delivery-dispatcher").daemon().unstarted(this::dispatch);
		this.taking = true;
		this.dispatcher.start();
	}

	/** Ends once the buffer is empty; waits for that at most the timeout. */
	void finish(Duration timeout) throws InterruptedException {
		this.taking = false;
		this.dispatcher.join(timeout.toMillis());
	}

	/** Ends at once (after {@link #finish} timed out). */
	void interrupt() {
		this.dispatcher.interrupt();
	}

	private void dispatch() {
		while (this.taking || !this.held.isEmpty()) {
			try {
				// a call slot first: a record taken from the buffer is never left waiting
				// in this thread
				this.held.acquireCall();
				Pending first = this.held.poll(100, TimeUnit.MILLISECONDS);
				if (first == null) {
					this.held.releaseCall();
					continue;
				}
				List<Pending> batch = takeBatch(first);
				if (batch.isEmpty()) {
					this.held.releaseCall();
					continue;
				}
				this.send.accept(batch);
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
	 * The first record plus what else is buffered, up to the batch limits. Records whose
	 * caller already gave up are dropped (never sent), and an id already in the batch
	 * ends it, so that one call never carries two records with one id (a conflict
	 * reported for the id would be ambiguous).
	 */
	List<Pending> takeBatch(Pending first) {
		List<Pending> batch = new ArrayList<>();
		Set<String> ids = new HashSet<>();
		long bytes = 0;
		Pending next = first;
		while (next != null) {
			// a record withdrawn by its strict caller (who gave its bytes back) is never
			// sent
			if (next.taken().compareAndSet(false, true)) {
				batch.add(next);
				ids.add(next.requestId());
				bytes += next.size();
			}
			if (batch.size() >= this.maxBatchSize) {
				break;
			}
			next = this.held.peek();
			if (next == null || (!batch.isEmpty() && bytes + next.size() > this.maxBatchBytes)
					|| ids.contains(next.requestId())) {
				break;
			}
			next = this.held.poll();
		}
		return batch;
	}

}
