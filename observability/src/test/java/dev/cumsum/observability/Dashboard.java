package dev.cumsum.observability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.cumsum.testsupport.PrometheusServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Grafana dashboard of grafana/ and the PromQL its panels, annotations and variables
 * run.
 */
record Dashboard(Path file, JsonNode json) {

	/** One PromQL expression and where it comes from. */
	record Query(String dashboard, String source, String expr) {
		@Override
		public String toString() {
			return dashboard + " / " + source;
		}
	}

	private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

	private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((?:(.*),\\s*)?(\\w+)\\)$");

	/**
	 * Grafana's built-in interval variables, as they resolve for a 15 s scrape interval.
	 */
	static final Map<String, String> BUILT_INS = Map.of("__rate_interval", "1m", "__interval", "15s", "__range", "30m");

	static List<Dashboard> load() throws IOException {
		JsonMapper json = JsonMapper.builder().build();
		try (Stream<Path> files = Files.list(Tools.repoRoot().resolve("grafana"))) {
			List<Dashboard> dashboards = new ArrayList<>();
			for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
				dashboards.add(new Dashboard(file, json.readTree(Files.readString(file))));
			}
			return dashboards;
		}
	}

	String title() {
		return json.path("title").asString();
	}

	/** Every panel, including those nested in collapsed rows. */
	List<JsonNode> panels() {
		List<JsonNode> panels = new ArrayList<>();
		for (JsonNode panel : json.path("panels")) {
			panels.add(panel);
			panel.path("panels").forEach(panels::add);
		}
		return panels;
	}

	List<JsonNode> variables() {
		List<JsonNode> variables = new ArrayList<>();
		json.path("templating").path("list").forEach(variables::add);
		return variables;
	}

	/** Panel target and annotation expressions, unresolved. */
	List<Query> rawQueries() {
		List<Query> queries = new ArrayList<>();
		for (JsonNode panel : panels()) {
			for (JsonNode target : panel.path("targets")) {
				queries.add(new Query(title(),
						panel.path("title").asString() + " [" + target.path("refId").asString() + "]",
						target.path("expr").asString()));
			}
		}
		for (JsonNode annotation : json.path("annotations").path("list")) {
			if (annotation.has("expr")) {
				queries.add(new Query(title(), "annotation " + annotation.path("name").asString(),
						annotation.path("expr").asString()));
			}
		}
		return queries;
	}

	/**
	 * Resolves the query variables in order against Prometheus as Grafana does:
	 * label_values() through the label values API, a multi-value or "All" variable as
	 * {@code (a|b)}, a single one as its first value. A variable with no value fails: its
	 * dashboard would show nothing.
	 */
	Map<String, String> resolveVariables(PrometheusServer prometheus, Instant start, Instant end)
			throws IOException, InterruptedException {
		return resolveVariables(prometheus, start, end, false);
	}

	/** With {@code lenient}, a variable without values is left out instead of failing. */
	Map<String, String> resolveVariables(PrometheusServer prometheus, Instant start, Instant end, boolean lenient)
			throws IOException, InterruptedException {
		Map<String, String> values = new LinkedHashMap<>(BUILT_INS);
		for (JsonNode variable : variables()) {
			String name = variable.path("name").asString();
			if (variable.path("type").asString().equals("datasource")) {
				continue;
			}
			JsonNode query = variable.path("query");
			String text = substitute(query.isObject() ? query.path("query").asString() : query.asString(), values);
			Matcher m = LABEL_VALUES.matcher(text.trim());
			if (!m.matches()) {
				throw new AssertionError(title() + ": variable " + name + " is not label_values(...): " + text);
			}
			String match = m.group(1) == null ? "{" + m.group(2) + "!=\"\"}" : m.group(1);
			List<String> found = prometheus.labelValues(m.group(2), match, start, end);
			String regex = variable.path("regex").asString("");
			if (!regex.isEmpty()) {
				Pattern filter = Pattern.compile(regex.replaceAll("^/|/$", ""));
				found = found.stream().filter(v -> filter.matcher(v).matches()).toList();
			}
			if (found.isEmpty() && lenient) {
				continue;
			}
			if (found.isEmpty()) {
				throw new AssertionError(title() + ": variable " + name + " has no values: " + text);
			}
			boolean multi = variable.path("multi").asBoolean(false) || variable.path("includeAll").asBoolean(false);
			values.put(name, multi ? "(" + String.join("|", found) + ")" : found.getFirst());
		}
		return values;
	}

	/** Whether every variable {@code expr} uses has a value. */
	static boolean resolvable(String expr, Map<String, String> values) {
		Matcher m = VARIABLE.matcher(expr);
		while (m.find()) {
			if (!values.containsKey(m.group(1))) {
				return false;
			}
		}
		return true;
	}

	static String substitute(String expr, Map<String, String> values) {
		Matcher m = VARIABLE.matcher(expr);
		StringBuilder out = new StringBuilder();
		while (m.find()) {
			String value = values.get(m.group(1));
			if (value == null) {
				throw new AssertionError("unknown variable $" + m.group(1) + " in " + expr);
			}
			m.appendReplacement(out, Matcher.quoteReplacement(value));
		}
		return m.appendTail(out).toString();
	}
}
