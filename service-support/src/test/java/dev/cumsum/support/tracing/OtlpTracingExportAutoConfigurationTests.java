package dev.cumsum.support.tracing;

import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.SpanExporters;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OTLP span exporter is one bean in every configuration; which exporter it is follows
 * the properties at startup.
 */
class OtlpTracingExportAutoConfigurationTests {

	private static final String ENDPOINT = "management.opentelemetry.tracing.export.otlp.endpoint";

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(OtlpTracingExportAutoConfiguration.class));

	@Test
	void withoutAnEndpointNothingIsExported() {
		this.contexts
			.run((context) -> assertThat(context.getBean(SpanExporter.class)).isSameAs(SpanExporter.composite()));
	}

	@Test
	void withAnEndpointSpansGoThereOverHttp() {
		this.contexts.withPropertyValues(ENDPOINT + "=http://127.0.0.1:4318/v1/traces")
			.run((context) -> assertThat(context.getBean(SpanExporter.class)).isInstanceOf(OtlpHttpSpanExporter.class)
				.asString()
				.contains("127.0.0.1:4318/v1/traces"));
	}

	@Test
	void theGrpcTransportIsHonoured() {
		this.contexts
			.withPropertyValues(ENDPOINT + "=http://127.0.0.1:4317",
					"management.opentelemetry.tracing.export.otlp.transport=grpc")
			.run((context) -> assertThat(context.getBean(SpanExporter.class)).isInstanceOf(OtlpGrpcSpanExporter.class));
	}

	@Test
	void exportSwitchedOffWinsOverAnEndpoint() {
		this.contexts
			.withPropertyValues(ENDPOINT + "=http://127.0.0.1:4318/v1/traces",
					"management.tracing.export.enabled=false")
			.run((context) -> assertThat(context.getBean(SpanExporter.class)).isSameAs(SpanExporter.composite()));
		// the exporter's own switch wins over the global one
		this.contexts
			.withPropertyValues(ENDPOINT + "=http://127.0.0.1:4318/v1/traces",
					"management.tracing.export.enabled=false", "management.tracing.export.otlp.enabled=true")
			.run((context) -> assertThat(context.getBean(SpanExporter.class)).isInstanceOf(OtlpHttpSpanExporter.class));
	}

	@Test
	void bootsOwnOtlpExporterIsLeftOutSoNoSpanIsSentTwice() {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(AutoConfigured.class)
			.web(WebApplicationType.NONE)
			.run("--" + ENDPOINT + "=http://127.0.0.1:4318/v1/traces", "--spring.main.banner-mode=off")) {
			assertThat(context.getBean(SpanExporters.class).list()).singleElement()
				.isInstanceOf(OtlpHttpSpanExporter.class);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class AutoConfigured {

	}

}
