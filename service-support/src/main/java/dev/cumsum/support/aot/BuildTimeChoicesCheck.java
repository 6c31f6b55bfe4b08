package dev.cumsum.support.aot;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import org.springframework.aot.AotDetector;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * In a start from Spring AOT's generated code ({@code -Dspring.aot.enabled=true}): fails
 * before any bean is made when a {@link BuildTimeChoices build-time choice} differs from
 * the build's, naming each one. Runs after the configuration files are read. A start
 * without the flag evaluates every condition as usual and is not checked.
 */
class BuildTimeChoicesCheck implements EnvironmentPostProcessor {

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (!AotDetector.useGeneratedArtifacts()) {
			return;
		}
		Properties built = load(application.getClassLoader());
		if (built == null) {
			return;
		}
		List<String> differences = new ArrayList<>();
		for (Map.Entry<String, String> choice : BuildTimeChoices.of(environment).entrySet()) {
			String atBuild = built.getProperty(choice.getKey());
			if (atBuild != null && !Objects.equals(atBuild, choice.getValue())) {
				differences.add(choice.getKey() + ": built with '" + atBuild + "', now '" + choice.getValue() + "'");
			}
		}
		if (!differences.isEmpty()) {
			throw new IllegalStateException("This start uses Spring AOT's generated beans (-Dspring.aot.enabled=true), "
					+ "which fixed these settings at build time: " + String.join("; ", differences)
					+ ". Start without -Dspring.aot.enabled=true, or build with these values.");
		}
	}

	private static Properties load(ClassLoader classLoader) {
		ClassLoader loader = (classLoader != null) ? classLoader : BuildTimeChoicesCheck.class.getClassLoader();
		try (InputStream in = loader.getResourceAsStream(BuildTimeChoices.RESOURCE)) {
			if (in == null) {
				return null;
			}
			Properties properties = new Properties();
			properties.load(in);
			return properties;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
