package dev.cumsum.system;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
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

	/**
	 * Sampling probability 0 (as without an exporter): POST /api is served without
	 * Spring's observation unless the caller's trace context is sampled
	 * (ApiObservationPredicate). A sampled W3C, B3 or Jaeger parent still gets the HTTP
	 * server span, as Spring's observation makes it, with its children; an unsampled
	 * request gets none; and Prometheus scrapes every request, traced or not, in the one
	 * http_server_requests series set.
	 */
	@Test
	void sampledParentsAreFollowedAndEveryRequestIsTimedWhenNothingIsSampledLocally() throws Exception {
		String w3cTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
		String b3Trace = "5bf92f3577b34da6a3ce929d0e0e4737";
		String jaegerTrace = "6bf92f3577b34da6a3ce929d0e0e4738";
		String parent = "00f067aa0ba902b7";
		int grpc = ServiceProcess.freePort();
		int port = ServiceProcess.freePort();
		int management = ServiceProcess.freePort();
		try (OtlpReceiver otlp = new OtlpReceiver();
				ServiceProcess transactions = ServiceProcess.transactionApi(grpc, ServiceProcess.freePort(), null,
						this.data, "--management.opentelemetry.tracing.export.otlp.endpoint=" + otlp.endpoint());
				ServiceProcess api = ServiceProcess.cumsumApi(port, management, grpc, "strict",
						"--management.opentelemetry.tracing.export.otlp.endpoint=" + otlp.endpoint(),
						"--management.tracing.sampling.probability=0")) {
			transactions.start();
			api.start();
			transactions.awaitReady(LocalStack.READY);
			api.awaitReady(LocalStack.READY);
			ApiClient client = new ApiClient(port);

			assertThat(client.post("{\"arr\":[1]}", "untraced-1").statusCode()).isEqualTo(200);
			assertThat(client
				.post("{\"arr\":[1]}", "untraced-2", "traceparent",
						"00-" + w3cTrace.replace('4', '7') + "-" + parent + "-00")
				.statusCode()).isEqualTo(200);
			assertThat(client.post("{\"arr\":[1]}", "w3c-1", "traceparent", "00-" + w3cTrace + "-" + parent + "-01")
				.statusCode()).isEqualTo(200);
			assertThat(client.post("{\"arr\":[1]}", "b3-1", "b3", b3Trace + "-" + parent + "-1").statusCode())
				.isEqualTo(200);
			assertThat(client.post("{\"arr\":[1]}", "jaeger-1", "uber-trace-id", jaegerTrace + ":" + parent + ":0:1")
				.statusCode()).isEqualTo(200);

			ReceivedSpan w3c = await(otlp, (s) -> "w3c-1".equals(s.attribute("cumsum.request_id")));
			assertHttpServerSpan(w3c, w3cTrace, parent);
			assertHttpServerSpan(await(otlp, (s) -> "b3-1".equals(s.attribute("cumsum.request_id"))), b3Trace, parent);
			assertHttpServerSpan(await(otlp, (s) -> "jaeger-1".equals(s.attribute("cumsum.request_id"))), jaegerTrace,
					parent);
			ReceivedSpan batch = await(otlp, (s) -> s.span().getTraceId().equals(w3c.span().getTraceId())
					&& s.span().getName().equals("cumsum.delivery.batch"));
			assertThat(batch.span().getParentSpanId()).as("batch under the HTTP span")
				.isEqualTo(w3c.span().getSpanId());
			// the untraced requests ended before the traced ones: had they had a span, it
			// would have been exported by now
			assertThat(otlp.spans())
				.noneSatisfy((s) -> assertThat(s.attribute("cumsum.request_id")).startsWith("untraced"));

			HttpResponse<String> scrape = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/actuator/prometheus"))
					.timeout(Duration.ofSeconds(5))
					.build(), HttpResponse.BodyHandlers.ofString());
			List<String> apiSeries = scrape.body()
				.lines()
				.filter((line) -> line.startsWith("http_server_requests_seconds_count{")
						&& line.contains("method=\"POST\"") && line.contains("uri=\"/api\""))
				.toList();
			assertThat(apiSeries).singleElement()
				.satisfies((line) -> assertThat(line)
					.contains("status=\"200\"", "outcome=\"SUCCESS\"", "exception=\"none\"", "error=\"none\"",
							"application=\"cumsum-api\"")
					.endsWith(" 5"));
			assertThat(scrape.body()).contains(
					"http_server_requests_seconds_bucket{application=\"cumsum-api\",error=\"none\",exception=\"none\",method=\"POST\",outcome=\"SUCCESS\",status=\"200\",uri=\"/api\",le=\"0.001\"}",
					"http_server_requests_seconds_bucket{application=\"cumsum-api\",error=\"none\",exception=\"none\",method=\"POST\",outcome=\"SUCCESS\",status=\"200\",uri=\"/api\",le=\"+Inf\"} 5");
		}
	}

	private static void assertHttpServerSpan(ReceivedSpan http, String traceId, String parentSpanId) {
		assertThat(http.service()).isEqualTo("cumsum-api");
		assertThat(http.span().getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
		assertThat(http.span().getName()).isEqualTo("http post /api");
		assertThat(HexFormat.of().formatHex(http.span().getTraceId().toByteArray())).isEqualTo(traceId);
		assertThat(HexFormat.of().formatHex(http.span().getParentSpanId().toByteArray())).isEqualTo(parentSpanId);
		assertThat(http.attribute("uri")).isEqualTo("/api");
		assertThat(http.attribute("method")).isEqualTo("POST");
		assertThat(http.attribute("status")).isEqualTo("200");
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
