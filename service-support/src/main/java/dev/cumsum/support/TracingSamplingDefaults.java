package dev.cumsum.support;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Traces are sampled by default only where they go somewhere: 1.0 when an OTLP endpoint
 * is set, 0.0 otherwise (local mode), because sampled spans cost CPU on every request
 * even when nothing exports them. An explicit
 * {@code management.tracing.sampling.probability} always wins, and an incoming sampled
 * trace context is still followed (parent-based sampling).
 */
class TracingSamplingDefaults implements EnvironmentPostProcessor {

	static final String PROBABILITY = "management.tracing.sampling.probability";

	static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty(PROBABILITY)) {
			return;
		}
		String probability = StringUtils.hasText(environment.getProperty(ENDPOINT)) ? "1.0" : "0.0";
		environment.getPropertySources()
			.addLast(new MapPropertySource("cumsumTracingSamplingDefaults", Map.of(PROBABILITY, probability)));
	}

}
