package dev.cumsum.system;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounded concurrent load on loopback: every request carries a unique X-Request-Id, and
 * the run remembers which ids were answered 200 (the API claimed them stored) and every
 * other status.
 */
final class LoadRun {

	final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

	final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();

	final AtomicInteger errors = new AtomicInteger();

	private final Thread[] workers;

	private volatile boolean stop;

	LoadRun(ApiClient client, String prefix, int threads, int maxRequests, Duration maxDuration) {
		AtomicInteger sequence = new AtomicInteger();
		Instant deadline = Instant.now().plus(maxDuration);
		this.workers = new Thread[threads];
		for (int t = 0; t < threads; t++) {
			this.workers[t] = Thread.ofPlatform().name("load-" + t).unstarted(() -> {
				int n;
				while (!this.stop && Instant.now().isBefore(deadline)
						&& (n = sequence.incrementAndGet()) <= maxRequests) {
					String id = prefix + "-" + n;
					try {
						HttpResponse<String> response = client.post("{\"arr\":[" + n + ",1,2]}", id);
						this.statuses.computeIfAbsent(response.statusCode(), (k) -> new AtomicInteger())
							.incrementAndGet();
						if (response.statusCode() == 200) {
							this.acknowledged.add(id);
						}
						else {
							Thread.sleep(20);
						}
					}
					catch (InterruptedException ex) {
						return;
					}
					catch (Exception ex) {
						this.errors.incrementAndGet();
					}
				}
			});
		}
	}

	LoadRun start() {
		for (Thread worker : this.workers) {
			worker.start();
		}
		return this;
	}

	void stopAndJoin() throws InterruptedException {
		this.stop = true;
		for (Thread worker : this.workers) {
			worker.join(30_000);
		}
	}

	int count(int status) {
		AtomicInteger n = this.statuses.get(status);
		return (n != null) ? n.get() : 0;
	}

}
