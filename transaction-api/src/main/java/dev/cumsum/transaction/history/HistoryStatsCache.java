package dev.cumsum.transaction.history;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The history totals without a scan per call. Computing them reads the whole collection,
 * so at most one computation runs at a time, in the background, bounded by
 * {@code maxTimeMS}; a call waits for a fresh result only within its own budget and
 * otherwise gets the last result. A result is fresh while it is younger than
 * {@code maxAge} and no write of this instance happened after it started; the next
 * computation starts no sooner than three times the last one's duration after it ended,
 * so a slow scan never runs back to back.
 */
@Component
class HistoryStatsCache {

	private static final Logger log = LoggerFactory.getLogger(HistoryStatsCache.class);

	private final Supplier<HistoryStats> compute;

	private final long maxAgeNanos;

	private final AtomicLong writes = new AtomicLong();

	private final Object lock = new Object();

	/** Guarded by lock. */
	private Snapshot latest;

	/** Guarded by lock. */
	private boolean computing;

	/** Guarded by lock: when the next computation may start (System.nanoTime). */
	private long notBefore;

	@Autowired
	HistoryStatsCache(HistoryStore store, HistoryProperties properties) {
		this(store::stats, properties.statsMaxAge());
	}

	HistoryStatsCache(Supplier<HistoryStats> compute, Duration maxAge) {
		this.compute = compute;
		this.maxAgeNanos = maxAge.toNanos();
	}

	/**
	 * Starts computing the totals in the background, so that the first call finds them.
	 */
	void warmUp() {
		try {
			get(Duration.ZERO);
		}
		catch (StatsNotReadyException ex) {
			// computing
		}
	}

	/** Records were inserted: totals computed before now are stale. */
	void written() {
		this.writes.incrementAndGet();
	}

	/**
	 * Fresh totals if they can be had within {@code budget}, else the last ones.
	 * @throws StatsNotReadyException when no totals were ever computed within the budget
	 */
	HistoryStats get(Duration budget) {
		long wanted = this.writes.get();
		long deadline = System.nanoTime() + budget.toNanos();
		synchronized (this.lock) {
			while (true) {
				Snapshot snapshot = this.latest;
				if (snapshot != null && snapshot.writes() >= wanted
						&& System.nanoTime() - snapshot.startedAt() <= this.maxAgeNanos) {
					return snapshot.stats();
				}
				if (!this.computing) {
					this.computing = true;
					Thread.ofVirtual().name("history-stats").start(this::computeInBackground);
				}
				long waitNanos = deadline - System.nanoTime();
				if (waitNanos <= 0) {
					break;
				}
				try {
					this.lock.wait(Math.max(1, waitNanos / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					break;
				}
			}
			if (this.latest != null) {
				return this.latest.stats();
			}
		}
		throw new StatsNotReadyException();
	}

	private void computeInBackground() {
		try {
			long delay;
			synchronized (this.lock) {
				delay = this.notBefore - System.nanoTime();
			}
			if (delay > 0) {
				Thread.sleep(Duration.ofNanos(delay));
			}
			long writes = this.writes.get();
			long start = System.nanoTime();
			HistoryStats stats = null;
			try {
				stats = this.compute.get();
			}
			catch (RuntimeException ex) {
				log.warn("History totals not computed: {}", ex.toString());
			}
			long end = System.nanoTime();
			synchronized (this.lock) {
				if (stats != null) {
					this.latest = new Snapshot(stats, writes, start);
				}
				// a failure waits at least a second before the next attempt
				this.notBefore = end + Math.max(3 * (end - start), (stats != null) ? 0 : 1_000_000_000L);
				this.computing = false;
				this.lock.notifyAll();
			}
		}
		catch (InterruptedException ex) {
			synchronized (this.lock) {
				this.computing = false;
				this.lock.notifyAll();
			}
		}
	}

	private record Snapshot(HistoryStats stats, long writes, long startedAt) {
	}

	/** No totals yet and none could be computed within the caller's budget. */
	static final class StatsNotReadyException extends RuntimeException {

		StatsNotReadyException() {
			super("history totals are still being computed; retry shortly", null, false, false);
		}

	}

}
