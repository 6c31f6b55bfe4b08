package dev.cumsum.transaction.history;

import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class HistoryStatsCacheTests {

	private final AtomicInteger computations = new AtomicInteger();

	private final AtomicLong count = new AtomicLong();

	private volatile CountDownLatch release = new CountDownLatch(0);

	private HistoryStats compute() {
		this.computations.incrementAndGet();
		try {
			this.release.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return new HistoryStats(this.count.get(), new Date(0), new Date(0), Map.of("pod", this.count.get()));
	}

	private final HistoryStatsCache cache = new HistoryStatsCache(this::compute, Duration.ofMinutes(10));

	@Test
	void freshTotalsAreReusedUntilSomethingIsWritten() {
		this.count.set(3);
		assertThat(this.cache.get(Duration.ofSeconds(5)).count()).isEqualTo(3);
		assertThat(this.cache.get(Duration.ofSeconds(5)).count()).isEqualTo(3);
		assertThat(this.computations).hasValue(1);

		this.count.set(4);
		this.cache.written();

		assertThat(this.cache.get(Duration.ofSeconds(5)).count()).isEqualTo(4);
		assertThat(this.computations).hasValue(2);
	}

	@Test
	void aSlowComputationRunsOnceWhileCallersGetTheLastTotalsWithinTheirBudget() throws Exception {
		this.count.set(1);
		assertThat(this.cache.get(Duration.ofSeconds(5)).count()).isEqualTo(1);
		this.release = new CountDownLatch(1);
		this.count.set(2);
		this.cache.written();

		ExecutorService callers = Executors.newFixedThreadPool(8);
		try {
			long start = System.nanoTime();
			List<Future<HistoryStats>> answers = callers
				.invokeAll(java.util.Collections.nCopies(8, () -> this.cache.get(Duration.ofMillis(300))));
			for (Future<HistoryStats> answer : answers) {
				assertThat(answer.get().count()).isEqualTo(1);
			}
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
			assertThat(this.computations).hasValue(2);
		}
		finally {
			callers.shutdownNow();
			this.release.countDown();
		}
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.cache.get(Duration.ofSeconds(1)).count()).isEqualTo(2));
	}

	@Test
	void noTotalsYetAndNoneWithinTheBudgetIsNotReady() {
		this.release = new CountDownLatch(1);
		try {
			assertThatExceptionOfType(HistoryStatsCache.StatsNotReadyException.class)
				.isThrownBy(() -> this.cache.get(Duration.ofMillis(100)));
		}
		finally {
			this.release.countDown();
		}
	}

	@Test
	void aFailedComputationKeepsTheLastTotals() {
		this.count.set(5);
		this.cache.get(Duration.ofSeconds(5));
		HistoryStatsCache failing = new HistoryStatsCache(() -> {
			throw new IllegalStateException("store down");
		}, Duration.ofMinutes(10));
		assertThatExceptionOfType(HistoryStatsCache.StatsNotReadyException.class)
			.isThrownBy(() -> failing.get(Duration.ofMillis(200)));
		this.cache.written();
		this.release = new CountDownLatch(1);
		try {
			assertThat(this.cache.get(Duration.ofMillis(100)).count()).isEqualTo(5);
		}
		finally {
			this.release.countDown();
		}
	}

}
