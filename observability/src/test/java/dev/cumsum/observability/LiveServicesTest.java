package dev.cumsum.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.cumsum.testsupport.Executables;
import dev.cumsum.testsupport.PrometheusServer;
import dev.cumsum.testsupport.PrometheusServer.Series;
import dev.cumsum.testsupport.ServiceProcess;

/**
 * The real services under a bounded load at a known rate, scraped every second by a real
 * Prometheus started through scripts/local-prometheus.sh (static namespace/pod/service
 * labels, as a ServiceMonitor attaches them). The adapter's queries, rendered as the
 * adapter renders them for one pod and for the namespace, return the achieved rate within
 * 10% during the load, 0 when idle before it and after it; the chart's KEDA query gives
 * the same numbers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveServicesTest {

	static final String NAMESPACE = "live";
	static final Map<String, String> POD = Map.of("cumsum_requests_per_second", "cumsum-api-local",
			"transaction_records_per_second", "transaction-api-local");

	/**
	 * Scrapes every second; the window keeps the shipped rule's >= 4 scrape intervals (10
	 * here).
	 */
	static final Duration SCRAPE = Duration.ofSeconds(1);
	static final Duration WINDOW = Duration.ofSeconds(10);
	static final int REQUESTS_PER_SECOND = 40;
	static final Duration LOAD = Duration.ofSeconds(20);

	private final List<AutoCloseable> running = new ArrayList<>();

	private PrometheusServer prometheus;

	private Instant idleAt;

	private Instant loadStart;

	private Instant loadedAt;

	private Instant quietAt;

	/** Completion times (epoch ms) of the 200 responses. */
	private final Queue<Long> completions = new ConcurrentLinkedQueue<>();

	private final AtomicInteger sent = new AtomicInteger();

	private final AtomicInteger notOk = new AtomicInteger();

	@BeforeAll
	void startServicesScrapeAndLoad() throws Exception {
		Executables.require("prometheus");
		Path work = Path.of("target", "live").toAbsolutePath();
		Tools.deleteRecursively(work);
		int grpc = Executables.freePort();
		int transactionManagement = Executables.freePort();
		int http = Executables.freePort();
		int cumsumManagement = Executables.freePort();

		ServiceProcess transactionApi = ServiceProcess.of("transaction-api", transactionManagement,
				List.of("--server.port=" + transactionManagement, "--management.server.port=" + transactionManagement,
						"--spring.grpc.server.port=" + grpc, "--spring.grpc.server.address=127.0.0.1",
						"--management.tracing.exemplars.include=none",
						"--history.embedded.data-dir=" + work.resolve("transaction-data")))
			.start();
		running.add(transactionApi);
		ServiceProcess cumsumApi = ServiceProcess.of("cumsum-api", cumsumManagement,
				List.of("--server.port=" + http, "--server.address=127.0.0.1",
						"--management.server.port=" + cumsumManagement,
						"--spring.grpc.client.channel.transactions.target=static://127.0.0.1:" + grpc,
						"--management.tracing.exemplars.include=none"))
			.start();
		running.add(cumsumApi);
		transactionApi.awaitReady(Duration.ofSeconds(90));
		cumsumApi.awaitReady(Duration.ofSeconds(90));

		prometheus = Tools.startLocalPrometheus(work.resolve("prometheus"),
				Map.of("CUMSUM_API_METRICS", "127.0.0.1:" + cumsumManagement, "TRANSACTION_API_METRICS",
						"127.0.0.1:" + transactionManagement, "SCRAPE_INTERVAL", SCRAPE.toSeconds() + "s",
						"LOCAL_NAMESPACE", NAMESPACE));
		running.add(prometheus);
		awaitTargetsUp();
		Thread.sleep(WINDOW.toMillis() / 2);
		idleAt = Instant.now();

		runLoad(URI.create("http://127.0.0.1:" + http + "/api"));
		loadedAt = Instant.now().minusSeconds(1);
		quietAt = Instant.now().plus(WINDOW).plus(SCRAPE.multipliedBy(3));
		Thread.sleep(Duration.between(Instant.now(), quietAt).toMillis() + SCRAPE.toMillis() * 2);
	}

	private void awaitTargetsUp() throws Exception {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		List<Map<String, String>> targets = List.of();
		while (System.nanoTime() < deadline) {
			targets = prometheus.activeTargets();
			if (targets.size() == 2 && targets.stream().allMatch(t -> t.get("health").equals("up"))) {
				return;
			}
			Thread.sleep(250);
		}
		throw new AssertionError("targets not up: " + targets + "\n" + prometheus.logTail());
	}

	/**
	 * A fixed-rate open load (sends do not wait for responses), bounded in time and
	 * count.
	 */
	private void runLoad(URI api) throws InterruptedException {
		HttpClient client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.build();
		int total = (int) (REQUESTS_PER_SECOND * LOAD.toSeconds());
		ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
		loadStart = Instant.now();
		scheduler.scheduleAtFixedRate(() -> {
			if (sent.incrementAndGet() > total) {
				return;
			}
			HttpRequest request = HttpRequest.newBuilder(api)
				.timeout(Duration.ofSeconds(5))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"arr\":[1,2,3],\"mode\":\"man\"}"))
				.build();
			client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
				if (error == null && response.statusCode() == 200) {
					completions.add(System.currentTimeMillis());
				}
				else {
					notOk.incrementAndGet();
				}
			});
		}, 0, 1000 / REQUESTS_PER_SECOND, TimeUnit.MILLISECONDS);
		Thread.sleep(LOAD.toMillis());
		scheduler.shutdownNow();
		scheduler.awaitTermination(5, TimeUnit.SECONDS);
		Thread.sleep(1000); // let the last responses arrive
	}

	/** Responses per second that completed in the rate window ending at {@code at}. */
	private double achievedRate(Instant at) {
		long to = at.toEpochMilli();
		long from = to - WINDOW.toMillis();
		return completions.stream().filter(t -> t > from && t <= to).count() / (double) WINDOW.toSeconds();
	}

	@Test
	void loadRanAtTheKnownRateWithoutErrors() {
		assertThat(notOk.get()).as("non-200 responses").isZero();
		assertThat(completions).hasSizeGreaterThan((int) (REQUESTS_PER_SECOND * LOAD.toSeconds() * 0.9));
		assertThat(achievedRate(loadedAt)).isCloseTo(REQUESTS_PER_SECOND, within(REQUESTS_PER_SECOND * 0.15));
	}

	@Test
	void shippedWindowIsLongerThanTheTestsAndBothAreAtLeastFourScrapes() throws IOException {
		for (AdapterRule rule : AdapterRule.load()) {
			assertThat(rule.window()).isGreaterThanOrEqualTo(WINDOW);
		}
		assertThat(WINDOW).isGreaterThanOrEqualTo(SCRAPE.multipliedBy(4));
	}

	@Test
	void idlePodsYieldZeroNotNoData() throws Exception {
		for (AdapterRule rule : AdapterRule.load()) {
			assertValue(rule, idleAt, 0.0, 0.0);
		}
	}

	@Test
	void duringLoadThePerPodAndNamespaceValuesAreTheAchievedRate() throws Exception {
		double achieved = achievedRate(loadedAt);
		for (AdapterRule rule : AdapterRule.load()) {
			assertValue(rule, loadedAt, achieved, achieved * 0.10);
		}
	}

	@Test
	void afterLoadStopsTheValuesReturnToZero() throws Exception {
		for (AdapterRule rule : AdapterRule.load()) {
			assertValue(rule, quietAt, 0.0, 0.0);
		}
	}

	private void assertValue(AdapterRule shipped, Instant at, double expected, double tolerance) throws Exception {
		AdapterRule rule = shipped.withWindow(WINDOW);
		String pod = POD.get(rule.metricName());
		List<Series> perPod = prometheus.query(rule.renderForPods(NAMESPACE, List.of(pod)), at);
		assertThat(perPod).as("%s for pod %s at %s", rule.metricName(), pod, at).hasSize(1);
		assertThat(perPod.getFirst().labels()).containsEntry("pod", pod);
		System.out.printf("%s pod %s at %s: %.3f (expected %.3f +- %.3f)%n", rule.metricName(), pod, at,
				perPod.getFirst().value(), expected, tolerance);
		assertThat(perPod.getFirst().value()).as("%s for pod %s", rule.metricName(), pod)
			.isCloseTo(expected, within(tolerance));
		List<Series> namespace = prometheus.query(rule.renderForNamespace(NAMESPACE), at);
		assertThat(namespace).as("%s for namespace %s", rule.metricName(), NAMESPACE).hasSize(1);
		assertThat(namespace.getFirst().value()).as("%s for namespace", rule.metricName())
			.isCloseTo(expected, within(tolerance));
	}

	/**
	 * The chart's ScaledObject query (keda mode), with the test's namespace, service
	 * label and window, equals the sum of the adapter's per-pod values: KEDA's
	 * AverageValue divides it by the replicas exactly as the HPA averages the per-pod
	 * metric.
	 */
	@Test
	void kedaQueryOfTheChartEqualsTheSumOfTheAdapterValues() throws Exception {
		Map<String, KedaQuery> keda = KedaQuery.render();
		for (AdapterRule shipped : AdapterRule.load()) {
			String component = shipped.series().startsWith("cumsum") ? "cumsum-api" : "transaction-api";
			// the labels scripts/local-prometheus.sh attaches, as a ServiceMonitor does
			// in the cluster
			String local = keda.get(component)
				.localized(NAMESPACE, component, MetricsContract.load().rateWindowText(), WINDOW.toSeconds() + "s");
			AdapterRule rule = shipped.withWindow(WINDOW);
			List<Series> perPod = prometheus.query(rule.renderForPods(NAMESPACE, List.of(POD.get(rule.metricName()))),
					loadedAt);
			List<Series> value = prometheus.query(local, loadedAt);
			assertThat(value).as(local).hasSize(1);
			assertThat(value.getFirst().value()).as(local)
				.isGreaterThan(0)
				.isCloseTo(perPod.stream().mapToDouble(Series::value).sum(), within(1e-9));
		}
	}

	/**
	 * The dashboards' queries over the services' own metrics return data from the live
	 * services too (kube-state-metrics and cAdvisor panels are covered by
	 * DashboardQueriesTest only): this catches a metric name that differs between
	 * docs/metrics.md and the code.
	 */
	@Test
	void dashboardQueriesOverServiceMetricsReturnLiveData() throws Exception {
		List<String> empty = new ArrayList<>();
		int checked = 0;
		for (Dashboard dashboard : Dashboard.load()) {
			Map<String, String> variables = dashboard.resolveVariables(prometheus, loadStart.minusSeconds(30), quietAt,
					true);
			assertThat(variables).containsEntry("namespace", NAMESPACE);
			// Grafana's $__rate_interval is 4 scrape intervals: here 1 s scrapes
			variables.put("__rate_interval", WINDOW.toSeconds() + "s");
			for (Dashboard.Query query : dashboard.rawQueries()) {
				if (query.expr().contains("kube_") || query.expr().contains("container_")
						|| !Dashboard.resolvable(query.expr(), variables)) {
					continue;
				}
				// the HPA's view is read from the recording rules, which this Prometheus
				// evaluates over
				// the shipped window
				String expr = Dashboard.substitute(query.expr(), variables);
				checked++;
				if (prometheus.queryRange(expr, loadStart, quietAt, Duration.ofSeconds(2)).isEmpty()) {
					empty.add(query + ": " + expr);
				}
			}
		}
		assertThat(checked).isGreaterThan(20);
		assertThat(empty).as("dashboard queries without live data").isEmpty();
	}

	@AfterAll
	void stopEverything() throws Exception {
		for (AutoCloseable closeable : running.reversed()) {
			closeable.close();
		}
	}

}
