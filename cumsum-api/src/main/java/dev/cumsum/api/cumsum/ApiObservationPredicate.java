package dev.cumsum.api.cumsum;

import java.util.Collections;

import jakarta.servlet.http.HttpServletRequest;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Spring's {@code http.server.requests} observation costs ~20% of the CPU of an unsampled
 * {@code POST /api} (docs/benchmarks.md). This predicate turns it off for
 * {@code POST /api} when the request would not be traced: sampling probability 0 (no
 * exporter, TracingSamplingDefaults) and no sampled incoming trace context (W3C, B3 or
 * Jaeger, as extracted by the configured propagators). {@link ApiRequestFilter} then
 * records the same {@code http.server.requests} timer itself ({@link ApiRequestTimers}).
 * A request that is traced keeps Spring's observation: its HTTP server span, the span's
 * children and its timer sample are exactly as before.
 */
@Component
class ApiObservationPredicate implements ObservationPredicate {

	/**
	 * Request attribute: Spring's observation was skipped, the filter times the request.
	 * Its value is the trace id of an incoming unsampled trace context, or an empty
	 * string when there was none.
	 */
	static final String UNOBSERVED = ApiObservationPredicate.class.getName() + ".unobserved";

	private static final String NAME = "http.server.requests";

	private static final TextMapGetter<HttpServletRequest> HEADERS = new TextMapGetter<>() {

		@Override
		public Iterable<String> keys(HttpServletRequest carrier) {
			return Collections.list(carrier.getHeaderNames());
		}

		@Override
		public @Nullable String get(@Nullable HttpServletRequest carrier, String key) {
			return (carrier != null) ? carrier.getHeader(key) : null;
		}

	};

	private final boolean alwaysSampled;

	private final @Nullable TextMapPropagator propagator;

	/**
	 * @param probability {@code management.tracing.sampling.probability} (Boot's default
	 * 0.1 when nothing set it)
	 * @param propagators the propagators of the tracer, absent without tracing
	 */
	ApiObservationPredicate(@Value("${management.tracing.sampling.probability:0.1}") float probability,
			@Value("${management.tracing.enabled:true}") boolean tracingEnabled,
			ObjectProvider<ContextPropagators> propagators) {
		ContextPropagators available = tracingEnabled ? propagators.getIfAvailable() : null;
		this.propagator = (available != null) ? available.getTextMapPropagator() : null;
		this.alwaysSampled = this.propagator != null && probability > 0;
	}

	@Override
	public boolean test(String name, Observation.Context context) {
		if (!(context instanceof ServerRequestObservationContext server) || !NAME.equals(name)) {
			return true;
		}
		HttpServletRequest request = server.getCarrier();
		if (!isApiPost(request) || this.alwaysSampled) {
			return true;
		}
		SpanContext parent = parent(request);
		if (parent.isSampled()) {
			return true;
		}
		request.setAttribute(UNOBSERVED, parent.isValid() ? parent.getTraceId() : "");
		return false;
	}

	private static boolean isApiPost(HttpServletRequest request) {
		if (!"POST".equals(request.getMethod())) {
			return false;
		}
		String path = request.getRequestURI();
		return CumSumController.isPath(path);
	}

	private SpanContext parent(HttpServletRequest request) {
		if (this.propagator == null) {
			return SpanContext.getInvalid();
		}
		Context extracted = this.propagator.extract(Context.root(), request, HEADERS);
		return Span.fromContext(extracted).getSpanContext();
	}

}
