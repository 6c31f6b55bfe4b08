package dev.cumsum.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import com.google.protobuf.ByteString;
import dev.cumsum.system.OtlpReceiver.ReceivedSpan;
import io.opentelemetry.proto.trace.v1.Span;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One request, one trace across both services, exported over OTLP as to Jaeger v2: HTTP
 * server (cumsum-api) -> delivery batch -> gRPC client -> gRPC server (transaction-api)
 * -> MongoDB write, each span the child of the one before, with the request id on the
 * HTTP span.
 */
class TracingTests {

	@TempDir
	Path data;

	@Test
	void oneRequestIsOneTraceAcrossBothServices() throws Exception {
		try (OtlpReceiver otlp = new OtlpReceiver();
				LocalStack stack = LocalStack.start(null, this.data,
						List.of("--management.opentelemetry.tracing.export.otlp.endpoint=" + otlp.endpoint()), "strict",
						List.of("--management.opentelemetry.tracing.export.otlp.endpoint=" + otlp.endpoint()))) {

			assertThat(stack.client.post("{\"arr\":[1,2,3]}", "traced-request-1").statusCode()).isEqualTo(200);

			ReceivedSpan http = await(otlp, (s) -> "traced-request-1".equals(s.attribute("cumsum.request_id")));
			assertThat(http.service()).isEqualTo("cumsum-api");
			assertThat(http.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
			ByteString trace = http.span().getTraceId();

			ReceivedSpan batch = await(otlp,
					(s) -> s.span().getTraceId().equals(trace) && s.span().getName().equals("cumsum.delivery.batch"));
			ReceivedSpan grpcClient = await(otlp,
					(s) -> s.span().getTraceId().equals(trace) && s.service().equals("cumsum-api")
							&& s.span().getKind() == Span.SpanKind.SPAN_KIND_CLIENT
							&& s.span().getName().contains("RecordBatch"));
			ReceivedSpan grpcServer = await(otlp, (s) -> s.span().getTraceId().equals(trace)
					&& s.service().equals("transaction-api") && s.span().getKind() == Span.SpanKind.SPAN_KIND_SERVER);
			ReceivedSpan mongo = await(otlp,
					(s) -> s.span().getTraceId().equals(trace) && s.span().getName().equals("mongodb insertMany"));

			assertThat(batch.span().getParentSpanId()).as("batch under the HTTP span")
				.isEqualTo(http.span().getSpanId());
			assertThat(grpcClient.span().getParentSpanId()).as("gRPC client under the batch")
				.isEqualTo(batch.span().getSpanId());
			assertThat(grpcServer.span().getParentSpanId()).as("gRPC server under the gRPC client")
				.isEqualTo(grpcClient.span().getSpanId());
			assertThat(mongo.service()).isEqualTo("transaction-api");
			assertThat(mongo.span().getParentSpanId()).as("MongoDB write under the gRPC server")
				.isEqualTo(grpcServer.span().getSpanId());
		}
	}

	private static ReceivedSpan await(OtlpReceiver otlp, Predicate<ReceivedSpan> match) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
		while (System.nanoTime() < deadline) {
			Optional<ReceivedSpan> found = otlp.spans().stream().filter(match).findFirst();
			if (found.isPresent()) {
				return found.get();
			}
			Thread.sleep(250);
		}
		List<String> seen = otlp.spans().stream().map((s) -> s.service() + ":" + s.span().getName()).toList();
		throw new AssertionError("span not received within 45 s; received: " + seen);
	}

}
