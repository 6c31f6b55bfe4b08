package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The chart's README.md carries a values table generated from the comments in
 * values.yaml, the way helm-docs does for published charts: the comment block right above
 * a key (its {@code # --} marker dropped) is that key's description. Fails on drift; with
 * -Dcumsum.sync=true (scripts/render-k8s.sh) it rewrites the table instead.
 */
class ChartReadmeTest {

	static final Path VALUES = Chart.DIR.resolve("values.yaml");
	static final Path README = Chart.DIR.resolve("README.md");
	static final String BEGIN = "<!-- values table: generated from values.yaml by scripts/render-k8s.sh, do not edit -->";
	static final String END = "<!-- end of values table -->";

	private static final Pattern KEY = Pattern.compile("^( *)([A-Za-z0-9_.-]+):(?:\\s+(.*))?$");

	/** Dotted key path -> the comment block written right above that key. */
	static Map<String, String> comments(List<String> lines) {
		Map<String, String> comments = new HashMap<>();
		List<String> pending = new ArrayList<>();
		boolean marked = false; // a "# --" line: the block is a description, whatever it
								// looks like
		List<String[]> stack = new ArrayList<>(); // {indent, key}
		for (String line : lines) {
			String trimmed = line.strip();
			if (trimmed.isEmpty()) {
				pending.clear();
				marked = false;
				continue;
			}
			if (trimmed.startsWith("#")) {
				String text = trimmed.replaceFirst("^#+\\s?", "");
				marked |= text.startsWith("-- ");
				pending.add(text.startsWith("-- ") ? text.substring(3) : text);
				continue;
			}
			Matcher key = KEY.matcher(line);
			if (!key.matches()) {
				pending.clear(); // a list item or a continuation: comments above it are
									// not a key's
				marked = false;
				continue;
			}
			int indent = key.group(1).length();
			while (!stack.isEmpty() && Integer.parseInt(stack.getLast()[0]) >= indent) {
				stack.removeLast();
			}
			stack.add(new String[] { Integer.toString(indent), key.group(2) });
			String path = stack.stream().map(s -> s[1]).collect(Collectors.joining("."));
			if (!pending.isEmpty() && (marked || !isCommentedOutExample(pending))) {
				comments.put(path, String.join(" ", pending).strip());
			}
			pending.clear();
			marked = false;
		}
		return comments;
	}

	/**
	 * A block such as "cron:" / " - {...}" is a commented-out example, not a description.
	 */
	private static boolean isCommentedOutExample(List<String> block) {
		return block.stream().allMatch(l -> KEY.matcher(l).matches() || l.stripLeading().startsWith("- "));
	}

	static String table() throws IOException {
		List<String> lines = Files.readAllLines(VALUES);
		Map<String, String> comments = comments(lines);
		@SuppressWarnings("unchecked")
		Map<String, Object> values = (Map<String, Object>) Chart.parseYaml(String.join("\n", lines));
		StringBuilder out = new StringBuilder(BEGIN).append("\n\n| Key | Default | Description |\n|---|---|---|\n");
		rows(values, "", comments, out);
		return out.append("\n").append(END).toString();
	}

	private static void rows(Map<String, Object> map, String prefix, Map<String, String> comments, StringBuilder out) {
		for (Map.Entry<String, Object> e : map.entrySet()) {
			String path = prefix + e.getKey();
			String description = comments.getOrDefault(path, "");
			if (e.getValue() instanceof Map<?, ?> child && !child.isEmpty()) {
				if (!description.isEmpty()) {
					out.append("| `").append(path).append("` | | ").append(cell(description)).append(" |\n");
				}
				@SuppressWarnings("unchecked")
				Map<String, Object> next = (Map<String, Object>) child;
				rows(next, path + ".", comments, out);
			}
			else {
				out.append("| `")
					.append(path)
					.append("` | `")
					.append(cell(inline(e.getValue())))
					.append("` | ")
					.append(cell(description))
					.append(" |\n");
			}
		}
	}

	/** A value as one line of YAML flow syntax. */
	static String inline(Object value) {
		if (value instanceof Map<?, ?> map) {
			return map.entrySet()
				.stream()
				.map(e -> e.getKey() + ": " + inline(e.getValue()))
				.collect(Collectors.joining(", ", "{", "}"));
		}
		if (value instanceof List<?> list) {
			return list.stream().map(ChartReadmeTest::inline).collect(Collectors.joining(", ", "[", "]"));
		}
		if (value instanceof String s) {
			return "\"" + s + "\"";
		}
		return String.valueOf(value);
	}

	private static String cell(String text) {
		return text.replace("|", "\\|");
	}

	@Test
	void valuesTableMatchesValuesYaml() throws IOException {
		String readme = Files.readString(README);
		int begin = readme.indexOf(BEGIN);
		int end = readme.indexOf(END);
		assertThat(begin).as("README.md has the generated values table markers").isNotNegative();
		assertThat(end).isGreaterThan(begin);
		String wanted = table();
		if (Boolean.getBoolean("cumsum.sync")) {
			readme = readme.substring(0, begin) + wanted + readme.substring(end + END.length());
			Files.writeString(README, readme);
		}
		end = readme.indexOf(END);
		assertThat(readme.substring(begin, end + END.length()))
			.as("helm/cumsum-autoscale/README.md values table differs from values.yaml: run scripts/render-k8s.sh")
			.isEqualTo(wanted);
	}

	/**
	 * Values without a description, the way podinfo's chart documents every value: a leaf
	 * needs its own comment, or its parent's or grandparent's (a group such as
	 * {@code resources} or {@code probes.liveness: {...}}) covers it. A top-level
	 * section's comment does not count: it describes a component, not each of its keys.
	 */
	static List<String> undocumented(List<String> lines) {
		Map<String, String> comments = comments(lines);
		@SuppressWarnings("unchecked")
		Map<String, Object> values = (Map<String, Object>) Chart.parseYaml(String.join("\n", lines));
		List<String> missing = new ArrayList<>();
		collectUndocumented(values, List.of(), comments, missing);
		return missing;
	}

	private static void collectUndocumented(Map<String, Object> map, List<String> prefix, Map<String, String> comments,
			List<String> missing) {
		for (Map.Entry<String, Object> e : map.entrySet()) {
			List<String> path = new ArrayList<>(prefix);
			path.add(e.getKey());
			if (e.getValue() instanceof Map<?, ?> child && !child.isEmpty()) {
				@SuppressWarnings("unchecked")
				Map<String, Object> next = (Map<String, Object>) child;
				collectUndocumented(next, path, comments, missing);
				continue;
			}
			boolean described = false;
			for (int depth = path.size(); depth >= Math.max(path.size() - 2, 1); depth--) {
				if (depth == 1 && path.size() > 1) {
					break; // a top-level section
				}
				described |= comments.containsKey(String.join(".", path.subList(0, depth)));
			}
			if (!described) {
				missing.add(String.join(".", path));
			}
		}
	}

	@Test
	void everyValueHasADescription() throws IOException {
		assertThat(undocumented(Files.readAllLines(VALUES)))
			.as("values without a description (a `# -- ...` comment above the key or its group) in values.yaml")
			.isEmpty();
	}

	@Test
	void aSectionCommentDoesNotDescribeItsKeys() {
		assertThat(undocumented(List.of("# -- top", "a: 1", "b: 2", "# Section c.", "c:", "  d: 1", "  # -- e",
				"  e: 1", "  # -- group f", "  f:", "    g: {h: 1}", "    i:", "      j:", "        k: 1")))
			.containsExactly("b", "c.d", "c.f.i.j.k");
	}

	@Test
	void descriptionIsTheCommentRightAboveTheKey() {
		Map<String, String> comments = comments(
				List.of("# Section about a.", "a:", "  # -- The b value,", "  # over two lines.", "  b: 1", "",
						"  c: 2", "  # d:", "  #   - {x: 1}", "  d: []", "# -- top", "e: x", "# -- on: off", "f: y"));
		assertThat(comments).containsEntry("a", "Section about a.")
			.containsEntry("a.b", "The b value, over two lines.")
			.containsEntry("e", "top")
			.containsEntry("f", "on: off")
			.doesNotContainKey("a.c")
			.doesNotContainKey("a.d");
	}

}
