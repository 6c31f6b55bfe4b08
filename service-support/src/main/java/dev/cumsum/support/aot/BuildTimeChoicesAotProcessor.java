package dev.cumsum.support.aot;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.aot.generate.GeneratedFiles.Kind;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ByteArrayResource;

/**
 * At build time (process-aot): writes {@link BuildTimeChoices} as the build's environment
 * makes them into {@link BuildTimeChoices#RESOURCE}. The main context is processed first;
 * the management context's copy is the same and is not written again.
 */
class BuildTimeChoicesAotProcessor implements BeanFactoryInitializationAotProcessor {

	@Override
	public BeanFactoryInitializationAotContribution processAheadOfTime(ConfigurableListableBeanFactory beanFactory) {
		if (!beanFactory.containsBean("environment")) {
			return null;
		}
		Environment environment = beanFactory.getBean("environment", Environment.class);
		byte[] content = serialize(BuildTimeChoices.of(environment));
		return (generationContext, code) -> generationContext.getGeneratedFiles()
			.handleFile(Kind.RESOURCE, BuildTimeChoices.RESOURCE, (file) -> {
				if (!file.exists()) {
					file.create(new ByteArrayResource(content));
				}
			});
	}

	/**
	 * As a properties file, one choice a line in a fixed order and without
	 * {@link java.util.Properties#store}'s date, so that a build is reproducible.
	 */
	private static byte[] serialize(Map<String, String> choices) {
		StringBuilder out = new StringBuilder(
				"# Fixed by the Spring AOT build: an AOT start with other values fails (BuildTimeChoicesCheck)\n");
		choices.forEach((key, value) -> out.append(escape(key)).append('=').append(escape(value)).append('\n'));
		return out.toString().getBytes(StandardCharsets.ISO_8859_1);
	}

	private static String escape(String text) {
		StringBuilder escaped = new StringBuilder();
		for (char c : text.toCharArray()) {
			if (c == ' ' || c == '=' || c == ':' || c == '#' || c == '!' || c == '\\') {
				escaped.append('\\').append(c);
			}
			else if (c < 0x20 || c > 0x7e) {
				escaped.append(String.format("\\u%04x", (int) c));
			}
			else {
				escaped.append(c);
			}
		}
		return escaped.toString();
	}

}
