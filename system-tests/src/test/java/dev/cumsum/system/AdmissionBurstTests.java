package dev.cumsum.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: a public endpoint must survive its public. One cumsum-api process with the
 * chart's JVM (its heap share, SerialGC and -XX:+ExitOnOutOfMemoryError,
 * {@link ChartJvm}) takes a burst of amplifying and expensive valid requests at once,
 * many times what its admission budget holds: it stays up, every answer is 200, 413 or
 * 503 (no connection error), its RSS stays under the chart's memory limit, and a normal
 * request succeeds afterwards. Delivery is off: this is the request path (strict
 * delivery's bounded wait is tested in cumsum-api against a double).
 */
class AdmissionBurstTests {

	/**
	 * The brief's amplifier: 24 KB that once made an 8 MB answer (333 result digits per
	 * body byte).
	 */
	static final String AMPLIFYING = "{\"arr\":[1e-999," + String.join(",", Collections.nCopies(4000, "1e999")) + "]}";

	/**
	 * The most expensive kind of valid request: 500 KB whose 100,000 sums of 67 digits
	 * (6.7 million, 13.4 per body byte) are just inside both result caps; about 68 MB by
	 * the admission estimate, so the chart's 96 MiB budget holds one at a time.
	 */
	static final String EXPENSIVE = "{\"arr\":[1e-30," + String.join(",", Collections.nCopies(99_999, "1e30")) + "]}";

	/** 100,000 integers, the element limit. */
	static final String LONG_ARRAY = "{\"arr\":[" + String.join(",", Collections.nCopies(100_000, "7")) + "]}";

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	@Test
	void aBurstOfAmplifyingAndExpensiveRequestsLeavesTheProcessUpAndWithinItsMemory() throws Exception {
		int port = ServiceProcess.freePort();
		long limit = ChartJvm.memoryLimitBytes();
		try (ServiceProcess api = ServiceProcess.cumsumApi(ChartJvm.options(), port, ServiceProcess.freePort(),
				ServiceProcess.freePort(), "off")) {
			api.start().awaitReady(Duration.ofSeconds(90));
			assertThat(post(port, "{\"arr\":[1,2,3]}").statusCode()).isEqualTo(200);

			AtomicLong maxRss = new AtomicLong();
			Map<String, Map<Integer, Integer>> statuses = new ConcurrentHashMap<>();
			List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
			long start = System.nanoTime();
			try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
				Future<?> sampler = clients.submit(() -> {
					while (!Thread.currentThread().isInterrupted()) {
						maxRss.accumulateAndGet(api.rssBytes(), Math::max);
						Thread.sleep(50);
					}
					return null;
				});
				List<Future<?>> burst = new ArrayList<>();
				for (int i = 0; i < 96; i++) {
					String kind = switch (i % 6) {
						case 0, 1 -> "amplifying";
						case 2, 3, 4 -> "expensive";
						default -> "long-array";
					};
					String body = switch (kind) {
						case "amplifying" -> AMPLIFYING;
						case "expensive" -> EXPENSIVE;
						default -> LONG_ARRAY;
					};
					burst.add(clients.submit(() -> {
						try {
							HttpResponse<Void> response = post(port, body);
							statuses.computeIfAbsent(kind, (k) -> new ConcurrentHashMap<>())
								.merge(response.statusCode(), 1, Integer::sum);
						}
						catch (IOException ex) {
							errors.add(ex);
						}
						return null;
					}));
				}
				for (Future<?> request : burst) {
					request.get();
				}
				sampler.cancel(true);
			}
			Duration took = Duration.ofNanos(System.nanoTime() - start);

			assertThat(errors).as("connection errors").isEmpty();
			assertThat(api.isAlive()).as("the process is up").isTrue();
			assertThat(statuses.values())
				.allSatisfy((byStatus) -> assertThat(byStatus.keySet()).isSubsetOf(200, 413, 503));
			assertThat(statuses.get("amplifying")).as("out of proportion to its body").containsOnlyKeys(413);
			assertThat(statuses.get("expensive")).as("admitted as the budget allows").containsKey(200);
			assertThat(statuses.get("expensive")).as("beyond the budget").containsKey(503);
			assertThat(maxRss.get()).as("RSS under the chart's memory limit").isPositive().isLessThan(limit);
			assertThat(took).isLessThan(Duration.ofSeconds(60));
			// and it still serves
			assertThat(post(port, "{\"arr\":[9223372036854775807,1]}").statusCode()).isEqualTo(200);
			assertThat(post(port, EXPENSIVE).statusCode()).isEqualTo(200);
			System.out.printf("burst of 96 in %d ms: %s, max RSS %d MiB of %d%n", took.toMillis(), statuses,
					maxRss.get() >> 20, limit >> 20);
		}
	}

	private HttpResponse<Void> post(int port, String body) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api"))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.discarding());
	}

}
