package dev.cumsum.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.cumsum.testsupport.PrometheusServer.Series;
import tools.jackson.databind.JsonNode;

/**
 * Every query of every dashboard in grafana/, with its variables resolved as Grafana
 * resolves them, returns data from a real Prometheus holding the backfilled series of a
 * running install (the services' metrics of docs/metrics.md, kube-state-metrics and
 * cAdvisor).
 */
class DashboardQueriesTest {

	private static final Pattern HARD_CODED_NAMESPACE = Pattern.compile("namespace=~?\"(?!\\$namespace\")");

	@Test
	void theThreeDashboardsExist() throws Exception {
		assertThat(Dashboard.load()).extracting(d -> d.file().getFileName().toString())
			.containsExactly("autoscaling.json", "jvm.json", "transactions.json");
	}

	/** No hard-coded datasource UIDs or namespaces: both are template variables. */
	@TestFactory
	Stream<DynamicTest> datasourceAndNamespaceAreVariables() throws Exception {
		return Dashboard.load().stream().map(d -> DynamicTest.dynamicTest(d.title(), () -> {
			assertThat(d.variables()).anySatisfy(v -> {
				assertThat(v.path("name").asString()).isEqualTo("datasource");
				assertThat(v.path("type").asString()).isEqualTo("datasource");
				assertThat(v.path("query").asString()).isEqualTo("prometheus");
			});
			assertThat(d.variables()).extracting(v -> v.path("name").asString()).contains("namespace");
			List<JsonNode> datasources = new ArrayList<>();
			collectDatasources(d.json(), datasources);
			assertThat(datasources).isNotEmpty()
				.allSatisfy(ds -> assertThat(ds.path("uid").asString()).as(ds.toString()).isEqualTo("${datasource}"));
			for (Dashboard.Query q : d.rawQueries()) {
				assertThat(HARD_CODED_NAMESPACE.matcher(q.expr()).find())
					.as("hard-coded namespace in %s: %s", q, q.expr())
					.isFalse();
			}
			assertThat(d.rawQueries()).isNotEmpty();
		}));
	}

	@TestFactory
	Stream<DynamicTest> everyQueryReturnsData() throws Exception {
		var fixture = SyntheticPrometheus.get();
		Instant end = fixture.data().end();
		Instant start = fixture.data().start().plus(Duration.ofMinutes(5));
		List<DynamicTest> tests = new ArrayList<>();
		for (Dashboard dashboard : Dashboard.load()) {
			Map<String, String> variables = dashboard.resolveVariables(fixture.server(), fixture.data().start(), end);
			for (Dashboard.Query query : dashboard.rawQueries()) {
				tests.add(DynamicTest.dynamicTest(query.toString(), () -> {
					String expr = Dashboard.substitute(query.expr(), variables);
					List<Series> result = fixture.server().queryRange(expr, start, end, Duration.ofSeconds(60));
					assertThat(result).as("no data for %s: %s", query, expr).isNotEmpty();
					assertThat(result).as("only NaN for %s: %s", query, expr).anyMatch(Series::hasFiniteValue);
				}));
			}
		}
		return tests.stream();
	}

	private static void collectDatasources(JsonNode node, List<JsonNode> out) {
		if (node.isObject()) {
			node.properties().forEach(e -> {
				if (e.getKey().equals("datasource") && e.getValue().isObject()) {
					out.add(e.getValue());
				}
				else {
					collectDatasources(e.getValue(), out);
				}
			});
		}
		else if (node.isArray()) {
			node.forEach(child -> collectDatasources(child, out));
		}
	}

}
