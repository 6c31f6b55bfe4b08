package dev.cumsum.helm;

import dev.cumsum.helm.Chart.Manifest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Checks custom resources against the field trees in custom-resource-fields.yaml. */
final class CustomResourceFields {

	private static final Map<String, Object> TREES = load();

	private CustomResourceFields() {
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> load() {
		try (InputStream in = CustomResourceFields.class.getResourceAsStream("/custom-resource-fields.yaml")) {
			return (Map<String, Object>) Chart
				.parseYaml(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static void check(Manifest m) {
		String key = m.apiVersion() + "/" + m.kind();
		Object tree = TREES.get(key);
		if (tree == null) {
			throw new AssertionError("no field tree for " + key + " (wrong apiVersion?)");
		}
		walk(tree, m.body(), m.kind() + "/" + m.name());
		if (m.kind().equals("ScaledObject")) {
			checkTriggers(m);
		}
	}

	@SuppressWarnings("unchecked")
	private static void walk(Object schema, Object value, String path) {
		if ("*".equals(schema)) {
			return;
		}
		if (schema instanceof List<?> items) {
			if (!(value instanceof List<?> list)) {
				throw new AssertionError(path + ": expected a list, got " + value);
			}
			for (int i = 0; i < list.size(); i++) {
				walk(items.getFirst(), list.get(i), path + "[" + i + "]");
			}
			return;
		}
		Map<String, Object> fields = (Map<String, Object>) schema;
		if (!(value instanceof Map<?, ?> object)) {
			throw new AssertionError(path + ": expected an object, got " + value);
		}
		for (Map.Entry<String, Object> field : fields.entrySet()) {
			if (field.getKey().endsWith("!")
					&& !object.containsKey(field.getKey().substring(0, field.getKey().length() - 1))) {
				throw new AssertionError(path + ": required field " + field.getKey() + " is missing");
			}
		}
		for (Map.Entry<?, ?> entry : object.entrySet()) {
			String name = (String) entry.getKey();
			Object sub = fields.containsKey(name) ? fields.get(name) : fields.get(name + "!");
			if (sub == null) {
				throw new AssertionError(path + ": unknown field " + name);
			}
			walk(sub, entry.getValue(), path + "." + name);
		}
	}

	/**
	 * KEDA trigger metadata is map[string]string: a number there fails the CRD's
	 * validation.
	 */
	@SuppressWarnings("unchecked")
	private static void checkTriggers(Manifest m) {
		Map<String, Object> byType = (Map<String, Object>) TREES.get("keda-trigger-metadata");
		for (Map<String, Object> trigger : Chart.Tree.list(m.body(), "spec.triggers")) {
			String type = (String) trigger.get("type");
			List<String> allowed = (List<String>) byType.get(type);
			if (allowed == null) {
				throw new AssertionError(m.name() + ": trigger type " + type + " not listed");
			}
			Map<String, Object> metadata = (Map<String, Object>) trigger.get("metadata");
			for (String field : allowed) {
				if (field.endsWith("!") && !metadata.containsKey(field.substring(0, field.length() - 1))) {
					throw new AssertionError(m.name() + ": " + type + " trigger lacks " + field);
				}
			}
			metadata.forEach((k, v) -> {
				if (!allowed.contains(k) && !allowed.contains(k + "!")) {
					throw new AssertionError(m.name() + ": unknown " + type + " trigger metadata " + k);
				}
				if (!(v instanceof String)) {
					throw new AssertionError(
							m.name() + ": " + type + " trigger metadata " + k + " must be a string, is " + v);
				}
			});
		}
	}

}
