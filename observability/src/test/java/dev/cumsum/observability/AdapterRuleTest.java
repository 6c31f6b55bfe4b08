package dev.cumsum.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.cumsum.testsupport.PrometheusServer;
import dev.cumsum.testsupport.PrometheusServer.Series;

/**
 * The prometheus-adapter rules, rendered as the adapter renders them, against a real
 * Prometheus holding backfilled series with known rates.
 */
class AdapterRuleTest {

	@Test
	@SuppressWarnings("unchecked")
	void publishesExactlyTheTwoScalingMetricsOfTheContract() throws IOException {
		assertThat(AdapterRule.load()).extracting(AdapterRule::metricName, AdapterRule::series)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("cumsum_requests_per_second", "cumsum_requests_total"),
					org.assertj.core.groups.Tuple.tuple("transaction_records_per_second", "transaction_records_total"));
		assertThat((Map<String, Object>) AdapterRule.values().get("rules")).containsEntry("default", false);
		MetricsContract contract = MetricsContract.load();
		for (AdapterRule rule : AdapterRule.load()) {
			assertThat(rule.metricsQuery()).contains("<<.Series>>", "<<.LabelMatchers>>", "<<.GroupBy>>");
			assertThat(rule.labelForResource()).containsEntry("namespace", "namespace").containsEntry("pod", "pod");
			// the contract: the chart's metrics.contract, and docs/metrics.md that
			// describes it
			assertThat(contract.counterOfMetric()).containsEntry(rule.metricName(), rule.series());
			assertThat(rule.window()).as(rule.metricName()).isEqualTo(contract.rateWindow());
			assertThat(Files.readString(Tools.repoRoot().resolve("docs/metrics.md")))
				.contains("`" + rule.metricName() + "`")
				.contains("sum(rate(" + rule.series() + "[<window>])) by (namespace, pod)");
		}
		assertThat(AdapterRule.load()).hasSameSizeAs(contract.counterOfMetric().keySet());
	}

	/** rate() needs two samples; four scrape intervals survive a missed scrape. */
	@Test
	void rateWindowIsAtLeastFourScrapeIntervalsOfTheChartsServiceMonitor() throws IOException {
		MetricsContract contract = MetricsContract.load();
		assertThat(contract.rateWindow()).isGreaterThanOrEqualTo(contract.scrapeInterval().multipliedBy(4));
		for (AdapterRule rule : AdapterRule.load()) {
			assertThat(rule.window()).as(rule.metricName())
				.isGreaterThanOrEqualTo(contract.scrapeInterval().multipliedBy(4));
		}
	}

	@Test
	void renderingFollowsTheAdapter() throws IOException {
		AdapterRule rule = AdapterRule.named("cumsum_requests_per_second");
		String window = "[" + MetricsContract.load().rateWindowText() + "]";
		assertThat(rule.renderForPods("demo", List.of("a")))
			.isEqualTo("sum(rate(cumsum_requests_total{namespace=\"demo\",pod=\"a\"}" + window + ")) by (pod)");
		assertThat(rule.renderForPods("demo", List.of("a", "b")))
			.isEqualTo("sum(rate(cumsum_requests_total{namespace=\"demo\",pod=~\"a|b\"}" + window + ")) by (pod)");
		assertThat(rule.renderForNamespace("demo"))
			.isEqualTo("sum(rate(cumsum_requests_total{namespace=\"demo\"}" + window + ")) by (namespace)");
	}

	@Test
	void perPodAndNamespaceValuesMatchTheKnownRatesAndAnIdlePodIsZero() throws Exception {
		var fixture = SyntheticPrometheus.get();
		check(fixture, AdapterRule.named("cumsum_requests_per_second"), SyntheticMetrics.CUMSUM_RPS);
		check(fixture, AdapterRule.named("transaction_records_per_second"), SyntheticMetrics.TRANSACTION_RPS);
	}

	private static void check(SyntheticPrometheus.Fixture fixture, AdapterRule rule, Map<String, Double> rates)
			throws Exception {
		PrometheusServer prometheus = fixture.server();
		var at = fixture.data().end();
		List<String> pods = List.copyOf(rates.keySet());
		for (String pod : pods) {
			List<Series> one = prometheus.query(rule.renderForPods(SyntheticMetrics.NAMESPACE, List.of(pod)), at);
			assertThat(one).as("%s for pod %s", rule.metricName(), pod).hasSize(1);
			assertThat(one.getFirst().labels()).containsEntry("pod", pod);
			assertThat(one.getFirst().value()).isCloseTo(rates.get(pod), within(1e-6));
		}
		List<Series> all = prometheus.query(rule.renderForPods(SyntheticMetrics.NAMESPACE, pods), at);
		assertThat(all).extracting(s -> s.labels().get("pod")).containsExactlyInAnyOrderElementsOf(pods);
		double total = rates.values().stream().mapToDouble(Double::doubleValue).sum();
		List<Series> namespace = prometheus.query(rule.renderForNamespace(SyntheticMetrics.NAMESPACE), at);
		assertThat(namespace).hasSize(1);
		assertThat(namespace.getFirst().labels()).containsEntry("namespace", SyntheticMetrics.NAMESPACE);
		assertThat(namespace.getFirst().value()).isCloseTo(total, within(1e-6));
		assertThat(prometheus.query(rule.renderForNamespace("elsewhere"), at)).isEmpty();
		// the recording rules the dashboards read hold the same per-pod values (evaluated
		// over the backfill)
		String recorded = MetricsContract.recordingRule("namespace_pod", rule.series());
		for (String pod : pods) {
			List<Series> one = prometheus
				.query(recorded + "{namespace=\"" + SyntheticMetrics.NAMESPACE + "\",pod=\"" + pod + "\"}", at);
			assertThat(one).as("%s for pod %s", recorded, pod).hasSize(1);
			assertThat(one.getFirst().value()).isCloseTo(rates.get(pod), within(1e-6));
		}
	}

}
