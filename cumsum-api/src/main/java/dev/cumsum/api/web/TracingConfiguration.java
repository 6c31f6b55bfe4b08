package dev.cumsum.api.web;

import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.extension.trace.propagation.JaegerPropagator;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Incoming trace context: W3C {@code traceparent} and B3 (Spring Boot's defaults) plus
 * Jaeger's {@code uber-trace-id}, so clients still instrumented with Jaeger's libraries
 * join the same trace. Boot composes extra propagator beans with the configured ones.
 */
@Configuration(proxyBeanMethods = false)
class TracingConfiguration {

	@Bean
	TextMapPropagator jaegerPropagator() {
		return JaegerPropagator.getInstance();
	}

}
