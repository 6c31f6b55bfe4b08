package dev.cumsum.support.tracing;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;

/**
 * Leaves out Spring Boot's {@code OtlpTracingAutoConfiguration}: its span exporter exists
 * only under conditions on properties, which a Spring AOT build fixes at build time;
 * {@link OtlpTracingExportAutoConfiguration} makes the same exporter a decision at
 * startup. Without this both would export each span when an endpoint is set.
 */
public final class OtlpTracingExportFilter implements AutoConfigurationImportFilter {

	static final String REPLACED = "org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingAutoConfiguration";

	@Override
	public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata metadata) {
		boolean[] match = new boolean[autoConfigurationClasses.length];
		for (int i = 0; i < match.length; i++) {
			match[i] = !REPLACED.equals(autoConfigurationClasses[i]);
		}
		return match;
	}

}
