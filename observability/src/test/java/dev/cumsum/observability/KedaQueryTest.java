package dev.cumsum.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The chart's KEDA query is the adapter rule summed over the Deployment's pods: same
 * counter, same window, scoped to the release namespace and the Service the
 * ServiceMonitor scrapes. LiveServicesTest checks it gives the same numbers as the
 * adapter on live data.
 */
class KedaQueryTest {

	@Test
	void kedaQueryIsTheAdapterRuleSummedOverTheService() throws Exception {
		Map<String, KedaQuery> keda = KedaQuery.render();
		assertThat(keda).containsOnlyKeys("cumsum-api", "transaction-api");
		String window = MetricsContract.load().rateWindowText();
		for (AdapterRule rule : AdapterRule.load()) {
			KedaQuery query = keda.get(rule.series().startsWith("cumsum") ? "cumsum-api" : "transaction-api");
			assertThat(query.metricsService()).isNotBlank();
			assertThat(query.query()).isEqualTo("sum(rate(" + rule.series() + "{namespace=\"" + KedaQuery.NAMESPACE
					+ "\",service=\"" + query.metricsService() + "\"}[" + window + "]))");
		}
	}

}
