package dev.cumsum.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Renders the chart with the real helm library (helm-java) and splits the output into
 * objects.
 */
final class Chart {

	static final Path REPO_ROOT = Path.of(System.getProperty("cumsum.repoRoot", "..")).toAbsolutePath().normalize();
	static final Path DIR = REPO_ROOT.resolve("helm/cumsum-autoscale");
	static final String RELEASE = "demo";
	static final String NAMESPACE = "cumsum";

	// helm-java defaults to v1.20 capabilities; render as an API server this chart
	// supports
	static final String KUBE_VERSION = "v1.34.0";

	private Chart() {
	}

	/** The ci/*-values.yaml files, each one mode the chart must render in. */
	static List<Path> ciValuesFiles() {
		try (Stream<Path> files = Files.list(DIR.resolve("ci"))) {
			return files.filter(f -> f.getFileName().toString().endsWith("-values.yaml")).sorted().toList();
		}
		catch (IOException e) {
			throw new IllegalStateException(e);
		}
	}

	static Rendered render(Path valuesFile, Map<String, String> sets) {
		return render(DIR, valuesFile, sets);
	}

	/**
	 * Renders a copy of the chart without values.schema.json, as `helm
	 * --skip-schema-validation` would: what the templates' own `fail` checks say when the
	 * schema is not there to stop a value.
	 */
	static Rendered renderWithoutSchema(Map<String, String> sets) {
		return render(copyWithoutSchema(), null, sets);
	}

	private static Path schemalessCopy;

	private static synchronized Path copyWithoutSchema() {
		if (schemalessCopy == null) {
			try {
				Path target = Files.createTempDirectory("chart-without-schema").resolve(DIR.getFileName());
				try (Stream<Path> files = Files.walk(DIR)) {
					for (Path source : files.toList()) {
						Path copy = target.resolve(DIR.relativize(source).toString());
						if (Files.isDirectory(source)) {
							Files.createDirectories(copy);
						}
						else if (!source.getFileName().toString().equals("values.schema.json")) {
							Files.copy(source, copy);
						}
					}
				}
				schemalessCopy = target;
			}
			catch (IOException e) {
				throw new IllegalStateException(e);
			}
		}
		return schemalessCopy;
	}

	private static Rendered render(Path chart, Path valuesFile, Map<String, String> sets) {
		FakeApiServer.start();
		TemplateCommand command = new Helm(chart).template()
			.withName(RELEASE)
			.withNamespace(NAMESPACE)
			.withKubeVersion(KUBE_VERSION);
		if (valuesFile != null) {
			command = command.withValuesFile(valuesFile);
		}
		for (Map.Entry<String, String> set : sets.entrySet()) {
			command = command.set(set.getKey(), set.getValue());
		}
		return Rendered.parse(command.call());
	}

	static Rendered render(Path valuesFile) {
		return render(valuesFile, Map.of());
	}

	static Rendered renderDefaults() {
		return render(null, Map.of());
	}

	static Object parseYaml(String text) {
		return new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
	}

	/** One rendered object: its source document text and its generic tree. */
	record Manifest(String source, String text, Map<String, Object> body) {

		String kind() {
			return (String) body.get("kind");
		}

		String apiVersion() {
			return (String) body.get("apiVersion");
		}

		String name() {
			return Tree.string(body, "metadata.name");
		}

		Map<String, Object> labels() {
			return Tree.map(body, "metadata.labels");
		}

		Map<String, Object> annotations() {
			return Tree.map(body, "metadata.annotations");
		}

		boolean isHook() {
			return annotations().containsKey("helm.sh/hook");
		}

		String component() {
			return (String) labels().get("app.kubernetes.io/component");
		}
	}

	/** The whole output of one `helm template`. */
	record Rendered(String text, List<Manifest> manifests) {

		static Rendered parse(String text) {
			List<Manifest> manifests = new ArrayList<>();
			// helm separates documents with "---" lines and names each one's template in
			// a "# Source:" comment
			for (String doc : text.split("(?m)^---\\s*$")) {
				Object tree = parseYaml(doc);
				if (!(tree instanceof Map<?, ?> map) || map.isEmpty()) {
					continue;
				}
				String source = doc.lines()
					.filter(l -> l.startsWith("# Source: "))
					.findFirst()
					.map(l -> l.substring("# Source: ".length()))
					.orElse("");
				@SuppressWarnings("unchecked")
				Map<String, Object> body = (Map<String, Object>) map;
				manifests.add(new Manifest(source, doc.strip() + "\n", body));
			}
			return new Rendered(text, List.copyOf(manifests));
		}

		List<Manifest> ofKind(String kind) {
			return manifests.stream().filter(m -> m.kind().equals(kind)).toList();
		}

		Manifest get(String kind, String name) {
			return manifests.stream()
				.filter(m -> m.kind().equals(kind) && m.name().equals(name))
				.findFirst()
				.orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + summary()));
		}

		boolean has(String kind, String name) {
			return manifests.stream().anyMatch(m -> m.kind().equals(kind) && m.name().equals(name));
		}

		List<String> summary() {
			return manifests.stream().map(m -> m.kind() + "/" + m.name()).toList();
		}
	}

	/** Dotted-path access into the generic YAML tree. */
	static final class Tree {

		private Tree() {
		}

		static Object get(Object root, String path) {
			Object current = root;
			for (String key : path.split("\\.")) {
				if (!(current instanceof Map<?, ?> map)) {
					return null;
				}
				current = map.get(key);
			}
			return current;
		}

		@SuppressWarnings("unchecked")
		static Map<String, Object> map(Object root, String path) {
			Object value = get(root, path);
			return value == null ? Map.of() : (Map<String, Object>) value;
		}

		@SuppressWarnings("unchecked")
		static List<Map<String, Object>> list(Object root, String path) {
			Object value = get(root, path);
			return value == null ? List.of() : (List<Map<String, Object>>) value;
		}

		static String string(Object root, String path) {
			Object value = get(root, path);
			return value == null ? null : value.toString();
		}

		static Map<String, Object> ordered(Map<String, Object> source) {
			return new LinkedHashMap<>(source);
		}

	}

}
