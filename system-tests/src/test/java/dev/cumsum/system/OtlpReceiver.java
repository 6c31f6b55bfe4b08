package dev.cumsum.system;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * An OTLP/HTTP trace receiver (what Jaeger v2 listens to on 4318), in process on
 * loopback: it decodes the protobuf export requests the services send and keeps every
 * span.
 */
final class OtlpReceiver implements AutoCloseable {

	/** A received span with the service that sent it. */
	record ReceivedSpan(String service, Span span) {

		String attribute(String key) {
			for (KeyValue attribute : this.span.getAttributesList()) {
				if (attribute.getKey().equals(key)) {
					return attribute.getValue().hasStringValue() ? attribute.getValue().getStringValue()
							: attribute.getValue().toString();
				}
			}
			return null;
		}

	}

	private final HttpServer server;

	private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

	OtlpReceiver() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		this.server.createContext("/v1/traces", this::receive);
		this.server.start();
	}

	String endpoint() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/v1/traces";
	}

	List<ReceivedSpan> spans() {
		return new ArrayList<>(this.spans);
	}

	private void receive(HttpExchange exchange) throws IOException {
		try (InputStream body = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
				? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
			ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
			for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
				String service = serviceName(resourceSpans.getResource());
				for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
					scopeSpans.getSpansList().forEach((span) -> this.spans.add(new ReceivedSpan(service, span)));
				}
			}
		}
		byte[] reply = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
		exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
		exchange.sendResponseHeaders(200, reply.length);
		exchange.getResponseBody().write(reply);
		exchange.close();
	}

	private static String serviceName(Resource resource) {
		return resource.getAttributesList()
			.stream()
			.filter((kv) -> kv.getKey().equals("service.name"))
			.map((kv) -> kv.getValue().getStringValue())
			.findFirst()
			.orElse("");
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
