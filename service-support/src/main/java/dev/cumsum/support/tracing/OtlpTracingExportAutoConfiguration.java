package dev.cumsum.support.tracing;

import java.util.Locale;

import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporterBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpGrpcSpanExporterBuilderCustomizer;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpHttpSpanExporterBuilderCustomizer;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.OtlpTracingProperties;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.otlp.Transport;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * The OTLP span exporter, chosen at startup: exports to
 * {@code management.opentelemetry.tracing.export.otlp.endpoint} when it is set (and
 * export is not disabled), exports nothing otherwise. It replaces Spring Boot's
 * {@code OtlpTracingAutoConfiguration} ({@link OtlpTracingExportFilter}), whose exporter
 * exists only under a condition on the endpoint: a Spring AOT build evaluates that once,
 * at build time (no endpoint), so an image would never export. The same properties apply:
 * endpoint, transport, timeout, connect-timeout, compression, headers, ssl.bundle,
 * {@code management.tracing.export.enabled} and
 * {@code management.tracing.export.otlp.enabled}, and Boot's exporter builder
 * customizers.
 */
@AutoConfiguration
@EnableConfigurationProperties(OtlpTracingProperties.class)
public final class OtlpTracingExportAutoConfiguration {

	static final String ENABLED = "management.tracing.export.enabled";

	static final String OTLP_ENABLED = "management.tracing.export.otlp.enabled";

	private static final Log log = LogFactory.getLog(OtlpTracingExportAutoConfiguration.class);

	@Bean
	SpanExporter otlpSpanExporter(OtlpTracingProperties properties, Environment environment,
			ObjectProvider<MeterProvider> meterProvider, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<OtlpHttpSpanExporterBuilderCustomizer> httpCustomizers,
			ObjectProvider<OtlpGrpcSpanExporterBuilderCustomizer> grpcCustomizers) {
		if (!exportEnabled(properties, environment)) {
			// the SDK's no-op exporter: sampled spans (an incoming sampled trace) go
			// nowhere
			return SpanExporter.composite();
		}
		SslBundle ssl = sslBundle(properties, sslBundles);
		String compression = properties.getCompression().name().toLowerCase(Locale.ROOT);
		log.info("Exporting traces over OTLP/" + properties.getTransport() + " to " + properties.getEndpoint());
		if (properties.getTransport() == Transport.GRPC) {
			OtlpGrpcSpanExporterBuilder builder = OtlpGrpcSpanExporter.builder()
				.setEndpoint(properties.getEndpoint())
				.setTimeout(properties.getTimeout())
				.setConnectTimeout(properties.getConnectTimeout())
				.setCompression(compression);
			properties.getHeaders().forEach(builder::addHeader);
			meterProvider.ifAvailable(builder::setMeterProvider);
			if (ssl != null) {
				builder.setSslContext(ssl.createSslContext(), trustManager(ssl));
			}
			grpcCustomizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
			return builder.build();
		}
		OtlpHttpSpanExporterBuilder builder = OtlpHttpSpanExporter.builder()
			.setEndpoint(properties.getEndpoint())
			.setTimeout(properties.getTimeout())
			.setConnectTimeout(properties.getConnectTimeout())
			.setCompression(compression);
		properties.getHeaders().forEach(builder::addHeader);
		meterProvider.ifAvailable(builder::setMeterProvider);
		if (ssl != null) {
			builder.setSslContext(ssl.createSslContext(), trustManager(ssl));
		}
		httpCustomizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder.build();
	}

	/**
	 * As Boot's {@code @ConditionalOnEnabledTracingExport("otlp")} plus its endpoint
	 * condition: an endpoint is set, and the exporter's own switch, else the global one,
	 * is not false.
	 */
	static boolean exportEnabled(OtlpTracingProperties properties, Environment environment) {
		if (!StringUtils.hasText(properties.getEndpoint())) {
			return false;
		}
		Boolean otlp = environment.getProperty(OTLP_ENABLED, Boolean.class);
		return (otlp != null) ? otlp : environment.getProperty(ENABLED, Boolean.class, true);
	}

	private static @Nullable SslBundle sslBundle(OtlpTracingProperties properties,
			ObjectProvider<SslBundles> sslBundles) {
		String name = properties.getSsl().getBundle();
		return StringUtils.hasLength(name) ? sslBundles.getObject().getBundle(name) : null;
	}

	private static X509TrustManager trustManager(SslBundle bundle) {
		for (TrustManager manager : bundle.getManagers().getTrustManagers()) {
			if (manager instanceof X509TrustManager x509) {
				return x509;
			}
		}
		throw new IllegalStateException("the SSL bundle of the OTLP trace export has no X509TrustManager");
	}

}
