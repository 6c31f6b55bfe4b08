package dev.cumsum.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import dev.cumsum.testsupport.Executables;

/** The PrometheusRule file passes {@code promtool check rules} and its unit tests. */
class PromtoolRulesTest {

	static final Path RULES = MetricsContract.RULES;
	static final Path UNIT_TESTS = Path.of("observability", "src", "test", "promtool");

	@Test
	void ruleFileIsValidAndLintClean() throws Exception {
		String out = Executables.run(Tools.repoRoot(), Executables.require("promtool").toString(), "check", "rules",
				RULES.toString());
		assertThat(out).contains("SUCCESS");
	}

	@Test
	void promtoolUnitTestsPass() throws Exception {
		List<String> command = new ArrayList<>(List.of(Executables.require("promtool").toString(), "test", "rules"));
		command.addAll(unitTestFiles().stream().map(Path::toString).toList());
		String out = Executables.run(Tools.repoRoot().resolve(UNIT_TESTS), command.toArray(String[]::new));
		assertThat(out).doesNotContain("FAILED");
	}

	/** Every alert has a promtool case where it fires and one where it stays silent. */
	@Test
	@SuppressWarnings("unchecked")
	void everyAlertIsTestedFiringAndSilent() throws Exception {
		Map<String, Object> rules = new Yaml().load(Files.readString(Tools.repoRoot().resolve(RULES)));
		List<String> alerts = ((List<Map<String, Object>>) rules.get("groups")).stream()
			.flatMap(g -> ((List<Map<String, Object>>) g.get("rules")).stream())
			.filter(r -> r.containsKey("alert"))
			.map(r -> (String) r.get("alert"))
			.toList();
		assertThat(alerts).isNotEmpty();

		List<Map<String, Object>> cases = new ArrayList<>();
		for (Path file : unitTestFiles()) {
			Map<String, Object> unit = new Yaml().load(Files.readString(file));
			for (Map<String, Object> test : (List<Map<String, Object>>) unit.get("tests")) {
				cases.addAll((List<Map<String, Object>>) test.getOrDefault("alert_rule_test", List.of()));
			}
		}
		for (String alert : alerts) {
			List<Map<String, Object>> mine = cases.stream().filter(c -> alert.equals(c.get("alertname"))).toList();
			assertThat(mine).as("promtool case where %s fires", alert)
				.anyMatch(c -> !((List<?>) c.get("exp_alerts")).isEmpty());
			assertThat(mine).as("promtool case where %s does not fire", alert)
				.anyMatch(c -> ((List<?>) c.get("exp_alerts")).isEmpty());
		}
	}

	/**
	 * The chart embeds the file as a PrometheusRule spec: only the keys that CRD knows.
	 */
	@Test
	@SuppressWarnings("unchecked")
	void ruleFileIsAPrometheusRuleSpec() throws Exception {
		Map<String, Object> rules = new Yaml().load(Files.readString(Tools.repoRoot().resolve(RULES)));
		assertThat(rules).containsOnlyKeys("groups");
		for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
			assertThat(group.keySet()).isSubsetOf("name", "interval", "rules", "limit", "partial_response_strategy");
			for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
				assertThat(rule.keySet()).isSubsetOf("record", "alert", "expr", "for", "keep_firing_for", "labels",
						"annotations");
			}
		}
	}

	private static List<Path> unitTestFiles() throws IOException {
		try (Stream<Path> files = Files.list(Tools.repoRoot().resolve(UNIT_TESTS))) {
			List<Path> list = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
			assertThat(list).isNotEmpty();
			return list;
		}
	}

}
