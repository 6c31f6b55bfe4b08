package dev.cumsum.api.delivery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the batcher holds from offer until its batch settles, and the bounds on it: the
 * buffer (buffer-capacity records), the estimated heap bytes of every record held,
 * buffered or in an unsettled batch (buffer-max-bytes, {@link Pending#heldSize}), and the
 * call slots (max-in-flight) with the batches holding them (in a call or waiting for a
 * retry).
 */
final class HeldRecords {

	private final LinkedBlockingQueue<Pending> buffer;

	private final AtomicLong bytes = new AtomicLong();

	private final long bytesBudget;

	private final int maxInFlight;

	private final Semaphore calls;

	/**
	 * Batches sent and not yet settled (in flight or waiting for a retry), by identity: a
	 * list's own hashCode would hash every record (each Pending, its protobuf Record) on
	 * every call; a batch is always settled with the list it was sent as.
	 */
	private final Set<List<Pending>> outstanding = Collections
		.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

	HeldRecords(int capacity, long bytesBudget, int maxInFlight) {
		this.buffer = new LinkedBlockingQueue<>(capacity);
		this.bytesBudget = bytesBudget;
		this.maxInFlight = maxInFlight;
		this.calls = new Semaphore(maxInFlight);
	}

	/**
	 * Buffers the record unless that would exceed the capacity or the byte budget (a
	 * record alone over the budget still goes, so that no record is refused forever).
	 * @return false when refused
	 */
	boolean hold(Pending pending) {
		long held = this.bytes.addAndGet(pending.size());
		if ((held > this.bytesBudget && held != pending.size()) || !this.buffer.offer(pending)) {
			this.bytes.addAndGet(-pending.size());
			return false;
		}
		return true;
	}

	/**
	 * Takes the record back if it was not yet taken into a batch: its place in the buffer
	 * and its bytes are free at once, not when the dispatcher gets to it.
	 * @return true when the record was never sent
	 */
	boolean withdraw(Pending pending) {
		boolean neverSent = pending.taken().compareAndSet(false, true);
		if (neverSent) {
			this.buffer.remove(pending);
			release(List.of(pending));
		}
		return neverSent;
	}

	/** Waits for a free call slot (max-in-flight). */
	void acquireCall() throws InterruptedException {
		this.calls.acquire();
	}

	/** Gives back a call slot that was not used for a batch. */
	void releaseCall() {
		this.calls.release();
	}

	Pending poll(long timeout, TimeUnit unit) throws InterruptedException {
		return this.buffer.poll(timeout, unit);
	}

	/** The next buffered record, left in the buffer. */
	Pending peek() {
		return this.buffer.peek();
	}

	Pending poll() {
		return this.buffer.poll();
	}

	boolean isEmpty() {
		return this.buffer.isEmpty();
	}

	/** Records buffered, not yet taken into a batch. */
	int size() {
		return this.buffer.size();
	}

	/** Estimated heap bytes of the records held, buffered or in an unsettled batch. */
	long bytes() {
		return this.bytes.get();
	}

	/** A batch's call started (it holds a call slot until settled). */
	void sent(List<Pending> batch) {
		this.outstanding.add(batch);
	}

	/**
	 * The batch is done with (acknowledged, failed or lost): its bytes and its call slot
	 * are free. Only the first settlement of a batch counts.
	 */
	void settle(List<Pending> batch) {
		if (this.outstanding.remove(batch)) {
			release(batch);
			this.calls.release();
		}
	}

	/** Batches whose calls have not settled yet. */
	List<List<Pending>> outstanding() {
		synchronized (this.outstanding) {
			return List.copyOf(this.outstanding);
		}
	}

	/**
	 * Waits until no call is in flight, at most until the deadline
	 * ({@link System#nanoTime()}).
	 */
	void awaitNoCalls(long deadline) throws InterruptedException {
		long left = deadline - System.nanoTime();
		if (left > 0 && this.calls.tryAcquire(this.maxInFlight, left, TimeUnit.NANOSECONDS)) {
			this.calls.release(this.maxInFlight);
		}
	}

	/**
	 * Empties the buffer at shutdown: the records never taken into a batch, their bytes
	 * released. They are marked taken here, so that a strict caller withdrawing one now
	 * does not give its bytes back twice.
	 */
	List<Pending> takeUnsent() {
		List<Pending> drained = new ArrayList<>();
		this.buffer.drainTo(drained);
		List<Pending> unsent = drained.stream()
			.filter((pending) -> pending.taken().compareAndSet(false, true))
			.toList();
		release(unsent);
		return unsent;
	}

	private void release(List<Pending> records) {
		long released = 0L;
		for (Pending pending : records) {
			released += pending.size();
		}
		this.bytes.addAndGet(-released);
	}

}
