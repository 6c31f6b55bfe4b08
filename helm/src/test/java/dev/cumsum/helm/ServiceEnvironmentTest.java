package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumsum.helm.Chart.Rendered;
import dev.cumsum.helm.Chart.Tree;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the chart sets in the services' environment beyond wiring: trace sampling and JVM
 * memory.
 */
class ServiceEnvironmentTest {

	private static final List<String> SERVICES = List.of("demo-cumsum-api", "demo-transaction-api");

	@Test
	void samplingIsSetOnlyWhenTracesAreExported() {
		// nothing exports: the chart leaves the services' own default (sample nothing)
		// alone
		Rendered defaults = Chart.renderDefaults();
		for (String service : SERVICES) {
			assertThat(ChartConsistencyTest.env(defaults, service)).as(service)
				.doesNotContainKey("MANAGEMENT_TRACING_SAMPLING_PROBABILITY")
				.doesNotContainKey("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT");
		}
		// an endpoint: exported, at tracing.samplingProbability
		Rendered endpoint = Chart.render(null,
				Map.of("tracing.otlpEndpoint", "http://collector.observability:4318/v1/traces"));
		for (String service : SERVICES) {
			assertThat(ChartConsistencyTest.env(endpoint, service)).as(service)
				.containsEntry("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT",
						"http://collector.observability:4318/v1/traces")
				.containsEntry("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "0.1");
		}
		// the bundled Jaeger
		Rendered jaeger = Chart.render(Chart.DIR.resolve("ci/tracing-values.yaml"));
		for (String service : SERVICES) {
			assertThat(ChartConsistencyTest.env(jaeger, service)).as(service)
				.containsEntry("MANAGEMENT_TRACING_SAMPLING_PROBABILITY", "1")
				.containsKey("MANAGEMENT_OPENTELEMETRY_TRACING_EXPORT_OTLP_ENDPOINT");
		}
	}

	/**
	 * transaction-api takes gRPC messages up to
	 * spring.grpc.server.inbound.message.max-size, assembled in Netty's direct buffers.
	 * The cap must hold one such message, and heap + cap must leave room in the memory
	 * limit for the non-heap rest of the JVM (~130 MiB measured under load,
	 * docs/benchmarks.md).
	 */
	@Test
	void transactionApiDirectMemoryHoldsOneMaximalMessageWithinTheLimit() throws IOException {
		String config = Files
			.readString(Chart.REPO_ROOT.resolve("transaction-api/src/main/resources/application.yaml"));
		Matcher maxSize = Pattern.compile("(?s)inbound:\\s*message:\\s*max-size:\\s*(\\d+)MB").matcher(config);
		assertThat(maxSize.find()).as("max-size in transaction-api's application.yaml").isTrue();
		long maxMessageMiB = Long.parseLong(maxSize.group(1));

		Rendered rendered = Chart.renderDefaults();
		String options = (String) ChartConsistencyTest.env(rendered, "demo-transaction-api").get("JAVA_TOOL_OPTIONS");
		Matcher direct = Pattern.compile("-XX:MaxDirectMemorySize=(\\d+)m").matcher(options);
		assertThat(direct.find()).as(options).isTrue();
		long directMiB = Long.parseLong(direct.group(1));
		Matcher heapPercent = Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(options);
		assertThat(heapPercent.find()).isTrue();
		Map<String, Object> container = Tree
			.list(rendered.get("Deployment", "demo-transaction-api").body(), "spec.template.spec.containers")
			.getFirst();
		String limit = Tree.string(container, "resources.limits.memory");
		assertThat(limit).endsWith("Mi");
		long limitMiB = Long.parseLong(limit.substring(0, limit.length() - 2));
		long heapMiB = limitMiB * Long.parseLong(heapPercent.group(1)) / 100;

		assertThat(directMiB).as("one maximal message and some pool headroom").isGreaterThan(maxMessageMiB);
		long nonHeapMiB = 130;
		assertThat(heapMiB + directMiB).as("heap + direct, leaving the measured non-heap part room in the limit")
			.isLessThanOrEqualTo(limitMiB - nonHeapMiB);
	}

	/**
	 * transaction-api waits for MongoDB longer than its own 60 s default: a fresh bundled
	 * replica set needs that long, and a shorter wait would mean CrashLoopBackOff
	 * restarts. Spring binds the variable as history.store.startup-timeout (relaxed
	 * binding drops the dash).
	 */
	@Test
	void transactionApiWaitsForMongoDbAsLongAsTheValuesSay() {
		Rendered rendered = Chart.renderDefaults();
		assertThat(ChartConsistencyTest.env(rendered, "demo-transaction-api"))
			.containsEntry("HISTORY_STORE_STARTUPTIMEOUT", "5m");
	}

}
