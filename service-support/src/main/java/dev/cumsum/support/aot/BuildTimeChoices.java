package dev.cumsum.support.aot;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.core.env.Environment;

/**
 * What a Spring AOT build fixes for good: settings that decide, through conditions in
 * Spring Boot's auto-configuration, which beans exist, and that stay conditions (every
 * run-time choice of this project's own is a bean that decides at startup instead). The
 * build records them ({@link BuildTimeChoicesAotProcessor}); an AOT start with other
 * values fails at once ({@link BuildTimeChoicesCheck}) instead of running quietly with
 * the beans of the build's values: e.g. a management port made equal to the server port
 * would otherwise start a second server on it.
 */
final class BuildTimeChoices {

	/** The classpath resource the build writes. */
	static final String RESOURCE = "META-INF/cumsum/aot-build-choices.properties";

	static final String MANAGEMENT_PORT = "management port (same as server.port, different, disabled)";

	/**
	 * Properties read by conditions whose outcome this project relies on. Values only
	 * (ports, timeouts, URIs, the delivery mode) are not here: they are bound at startup
	 * in an AOT start too.
	 */
	static final List<String> PROPERTIES = List.of("spring.profiles.active", "spring.threads.virtual.enabled",
			"spring.jmx.enabled", "spring.mvc.problemdetails.enabled", "management.endpoints.web.exposure.include",
			"management.endpoints.web.exposure.exclude", "management.endpoint.health.probes.enabled",
			"management.health.mongodb.enabled", "management.opentelemetry.enabled",
			"management.otlp.metrics.export.enabled", "management.opentelemetry.logging.export.otlp.endpoint",
			"management.tracing.baggage.enabled", "spring.grpc.server.enabled", "spring.grpc.server.inprocess.name",
			"spring.grpc.server.health.enabled", "spring.grpc.server.reflection.enabled",
			"spring.grpc.server.observation.enabled", "spring.grpc.client.observation.enabled");

	private BuildTimeChoices() {
	}

	/** The choices as this environment makes them; an unset property is "". */
	static Map<String, String> of(Environment environment) {
		Map<String, String> choices = new LinkedHashMap<>();
		choices.put(MANAGEMENT_PORT, ManagementPortType.get(environment).name());
		for (String property : PROPERTIES) {
			choices.put(property, Objects.requireNonNullElse(environment.getProperty(property), ""));
		}
		return choices;
	}

}
