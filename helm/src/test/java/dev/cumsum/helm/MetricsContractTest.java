package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumsum.helm.Chart.Manifest;
import dev.cumsum.helm.Chart.Rendered;
import dev.cumsum.helm.Chart.Tree;
import dev.cumsum.helm.MetricsContract.ScalingMetric;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every consumer of the metrics contract ({@code metrics.contract} in values.yaml) agrees
 * with it: the generated adapter rules and plain rule file (fails on drift; with
 * -Dcumsum.sync=true, as scripts/render-k8s.sh runs it, rewrites them), the HPAs' metric
 * names, the KEDA queries, the recording rules, and the dashboards, which read the
 * recording rules instead of a window of their own.
 */
class MetricsContractTest {

	private static final Pattern RANGE = Pattern.compile("\\[([^\\]]+)]");

	private static final Pattern RECORDED = Pattern.compile("namespace_[a-z_]+:[a-z_]+:rate\\b");

	@Test
	void adapterRulesAreGeneratedFromTheContract() throws IOException {
		MetricsContract contract = MetricsContract.fromValues();
		String current = Files.readString(MetricsContract.ADAPTER_VALUES);
		String wanted = contract.adapterValues(current);
		if (PlainManifestsTest.SYNC) {
			Files.writeString(MetricsContract.ADAPTER_VALUES, wanted);
			current = wanted;
		}
		assertThat(current)
			.as("platform/prometheus-adapter-values.yaml differs from metrics.contract: run scripts/render-k8s.sh")
			.isEqualTo(wanted);
		List<Map<String, Object>> rules = Tree.list(Chart.parseYaml(current), "rules.custom");
		assertThat(rules).extracting(r -> Tree.string(r, "name.as"))
			.containsExactlyElementsOf(contract.metrics().values().stream().map(ScalingMetric::metric).toList());
	}

	@Test
	void plainRuleFileIsTheChartsPrometheusRule() throws IOException {
		Manifest rule = Chart.renderDefaults().get("PrometheusRule", Chart.RELEASE + "-rules");
		String wanted = MetricsContract.plainRuleFile(rule);
		if (PlainManifestsTest.SYNC) {
			Files.writeString(MetricsContract.PLAIN_RULES, wanted);
		}
		assertThat(Files.readString(MetricsContract.PLAIN_RULES))
			.as("observability/prometheus-rules.yaml differs from the chart's PrometheusRule: run scripts/render-k8s.sh")
			.isEqualTo(wanted);
		assertThat(Chart.parseYaml(wanted)).isEqualTo(rule.body().get("spec"));
	}

	/**
	 * The window and names of every rendered consumer, for the shipped contract and for
	 * another window.
	 */
	@Test
	void everyRenderedConsumerFollowsTheContract() throws IOException {
		check(MetricsContract.fromValues(), Map.of());
		for (String window : List.of("2m", "90s")) {
			String current = Files.readString(MetricsContract.ADAPTER_VALUES);
			MetricsContract changed = MetricsContract
				.of(Chart.parseYaml(Files.readString(Chart.DIR.resolve("values.yaml"))
					.replace("rateWindow: " + MetricsContract.fromValues().rateWindowText(), "rateWindow: " + window)));
			assertThat(changed.rateWindowText()).isEqualTo(window);
			check(changed, Map.of("metrics.contract.rateWindow", window));
			// the generated adapter rules follow too, and carry no other window
			List<Map<String, Object>> rules = Tree.list(Chart.parseYaml(changed.adapterValues(current)),
					"rules.custom");
			assertThat(rules).allSatisfy(r -> assertThat(ranges(Tree.string(r, "metricsQuery"))).containsOnly(window));
		}
	}

	private static void check(MetricsContract contract, Map<String, String> sets) {
		Map<String, ScalingMetric> byName = new java.util.HashMap<>();
		contract.metrics().values().forEach(m -> byName.put(Chart.RELEASE + "-" + m.component(), m));
		assertThat(byName).containsOnlyKeys("demo-cumsum-api", "demo-transaction-api");

		Rendered hpa = Chart.render(Chart.DIR.resolve("ci/hpa-values.yaml"), sets);
		for (Manifest h : hpa.ofKind("HorizontalPodAutoscaler")) {
			Map<String, Object> pods = Tree.list(h.body(), "spec.metrics")
				.stream()
				.filter(m -> "Pods".equals(m.get("type")))
				.findFirst()
				.orElseThrow();
			assertThat(Tree.string(pods, "pods.metric.name")).isEqualTo(byName.get(h.name()).metric());
		}

		Rendered keda = Chart.render(Chart.DIR.resolve("ci/keda-values.yaml"), sets);
		assertThat(keda.ofKind("ScaledObject")).hasSize(2);
		for (Manifest so : keda.ofKind("ScaledObject")) {
			String query = Tree.list(so.body(), "spec.triggers")
				.stream()
				.filter(t -> "prometheus".equals(t.get("type")))
				.map(t -> Tree.string(t, "metadata.query"))
				.findFirst()
				.orElseThrow();
			assertThat(query).startsWith("sum(rate(" + byName.get(so.name()).counter() + "{");
			assertThat(ranges(query)).containsOnly(contract.rateWindowText());
		}

		// recording rules of the contract's counters: per pod (what the adapter serves)
		// and per service
		List<Map<String, Object>> recorded = new ArrayList<>();
		for (Map<String, Object> group : Tree.list(hpa.get("PrometheusRule", "demo-rules").body(), "spec.groups")) {
			recorded.addAll(Tree.list(group, "rules"));
		}
		for (ScalingMetric m : contract.metrics().values()) {
			String base = m.counter().replaceFirst("_total$", "");
			for (String level : List.of("namespace_pod", "namespace_application")) {
				String record = level + ":" + base + ":rate";
				Map<String, Object> rule = recorded.stream()
					.filter(r -> record.equals(r.get("record")))
					.findFirst()
					.orElseThrow(() -> new AssertionError("no recording rule " + record));
				String expr = (String) rule.get("expr");
				assertThat(expr).contains("rate(" + m.counter() + "[");
				assertThat(ranges(expr)).containsOnly(contract.rateWindowText());
			}
		}
	}

	/**
	 * Dashboards never carry the contract's window: queries over the contract's counters
	 * use Grafana's $__rate_interval (display) or read a recording rule (the HPA's view),
	 * and every recording rule they read is one the chart records.
	 */
	@Test
	void dashboardsReadTheRecordingRulesInsteadOfAWindowOfTheirOwn() throws IOException {
		MetricsContract contract = MetricsContract.fromValues();
		List<String> recorded = new ArrayList<>();
		for (Map<String, Object> group : Tree.list(Chart.renderDefaults().get("PrometheusRule", "demo-rules").body(),
				"spec.groups")) {
			Tree.list(group, "rules").forEach(r -> recorded.add((String) r.get("record")));
		}
		List<String> exprs = new ArrayList<>();
		try (Stream<Path> files = Files.list(PlainManifestsTest.GRAFANA)) {
			for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
				collectExprs(Chart.parseYaml(Files.readString(file)), exprs);
			}
		}
		assertThat(exprs).hasSizeGreaterThan(20);
		int readingRules = 0;
		for (String expr : exprs) {
			if (contract.metrics().values().stream().anyMatch(m -> expr.contains(m.counter()))) {
				assertThat(ranges(expr)).as(expr).containsOnly("$__rate_interval");
			}
			Matcher m = RECORDED.matcher(expr);
			while (m.find()) {
				readingRules++;
				assertThat(recorded).as("recording rule read by a dashboard: %s", expr).contains(m.group());
			}
		}
		assertThat(readingRules).as("dashboard queries of the HPA's view (recording rules)").isGreaterThanOrEqualTo(2);
	}

	private static List<String> ranges(String promql) {
		List<String> found = new ArrayList<>();
		Matcher m = RANGE.matcher(promql);
		while (m.find()) {
			found.add(m.group(1));
		}
		return found;
	}

	private static void collectExprs(Object node, List<String> out) {
		if (node instanceof Map<?, ?> map) {
			map.forEach((k, v) -> {
				if ("expr".equals(k) && v instanceof String s) {
					out.add(s);
				}
				else {
					collectExprs(v, out);
				}
			});
		}
		else if (node instanceof List<?> list) {
			list.forEach(child -> collectExprs(child, out));
		}
	}

}
