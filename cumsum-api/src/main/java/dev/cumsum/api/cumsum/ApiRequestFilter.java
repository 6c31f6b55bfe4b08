package dev.cumsum.api.cumsum;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.opentelemetry.sdk.trace.IdGenerator;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * Around every {@code POST /api}: resolves the request id (client's or generated), echoes
 * it in {@code X-Request-Id} on every answer including errors, puts it on the trace span
 * and in the log context ({@code request_id}), and counts the request once it finished;
 * then gives its admission ticket back (after the answer was written, which is part of
 * what the ticket paid for). After an error answer, what is left of the body is
 * discarded, up to twice the body limit ({@link UnreadBody}), so the client gets its
 * answer and keeps its connection. When Spring's {@code http.server.requests} observation
 * skipped the request ({@link ApiObservationPredicate}: not traced), the filter records
 * that timer itself ({@link ApiRequestTimers}). A request that Spring MVC would route to
 * {@link CumSumController} is answered here by calling the controller, without Spring
 * MVC's dispatch; its failures, and every other request, go through Spring MVC.
 */
class ApiRequestFilter extends HttpFilter {

	static final String MDC_KEY = "request_id";

	/** The log context keys of the trace and span (Micrometer Tracing's). */
	static final String MDC_TRACE_ID = "traceId";

	static final String MDC_SPAN_ID = "spanId";

	private static final IdGenerator IDS = IdGenerator.random();

	private final ApiRequestMetrics metrics;

	private final ApiRequestTimers timers;

	private final Tracer tracer;

	private final long maxBodyBytes;

	private final CumSumController controller;

	ApiRequestFilter(ApiRequestMetrics metrics, ApiRequestTimers timers, Tracer tracer, RequestLimits limits,
			CumSumController controller) {
		this.controller = controller;
		this.metrics = metrics;
		this.timers = timers;
		this.tracer = tracer;
		this.maxBodyBytes = limits.maxBodySize().toBytes();
	}

	/**
	 * Registered for the request dispatch only ({@link ApiRequestFilterConfiguration}):
	 * once per request without the request attribute Spring's
	 * {@code OncePerRequestFilter} sets and removes to know that.
	 */
	@Override
	protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!"POST".equals(request.getMethod())) {
			chain.doFilter(request, response);
			return;
		}
		if (!(request.getAttribute(ApiObservationPredicate.UNOBSERVED) instanceof String parentTraceId)) {
			filter(request, response, chain, null);
			return;
		}
		// Spring's observation skipped this request (ApiObservationPredicate): timed
		// here, with the ids an unsampled span had (the caller's trace or a new one, a
		// new span)
		long start = System.nanoTime();
		LongTaskTimer.Sample active = this.timers.start();
		String traceId = parentTraceId.isEmpty() ? IDS.generateTraceId() : parentTraceId;
		MDC.put(MDC_TRACE_ID, traceId);
		MDC.put(MDC_SPAN_ID, IDS.generateSpanId());
		Throwable error = null;
		try {
			filter(request, response, chain, traceId);
		}
		catch (ServletException | IOException | RuntimeException | Error ex) {
			error = (ex instanceof ServletException servlet && servlet.getRootCause() != null) ? servlet.getRootCause()
					: ex;
			throw ex;
		}
		finally {
			MDC.remove(MDC_TRACE_ID);
			MDC.remove(MDC_SPAN_ID);
			active.stop();
			// as Spring's filter: an exception that escapes is a 500 unless an answer was
			// committed
			int status = (error != null && !response.isCommitted()) ? 500 : response.getStatus();
			this.timers.record(request, status, error, System.nanoTime() - start);
		}
	}

	/**
	 * @param traceId the trace id of an untraced request (no span), null when Spring's
	 * observation made a span
	 */
	private void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain,
			@Nullable String traceId) throws ServletException, IOException {
		String id = request.getHeader(RequestIds.HEADER);
		boolean valid;
		if (id == null || id.isEmpty()) {
			id = RequestIds.generate();
			valid = true;
		}
		else {
			valid = RequestIds.isValid(id);
		}
		ApiCall call = ApiCall.start(request, valid ? id : null, traceId);
		if (valid) {
			response.setHeader(RequestIds.HEADER, id);
			MDC.put(MDC_KEY, id);
			Span span = this.tracer.currentSpan();
			if (span != null) {
				span.tag("cumsum.request_id", id);
			}
		}
		try {
			serve(request, response, chain, call, traceId == null);
		}
		finally {
			call.release();
			MDC.remove(MDC_KEY);
			this.metrics.count(call.mode(), response.getStatus(), call.overloaded());
		}
		if (response.getStatus() >= 400) {
			UnreadBody.discard(request, response, this.maxBodyBytes);
		}
	}

	/**
	 * Answers a request that Spring MVC would route to {@link CumSumController} by
	 * calling the controller directly, without Spring MVC's dispatch (handler mapping,
	 * argument and return value handling, message converters and a dozen request
	 * attributes: about a fifth of the CPU of a small request, docs/benchmarks.md).
	 * Everything else goes through Spring MVC as before: another content type (415), a
	 * path that Spring MVC normalises ({@code /api;x}), and every failure of the
	 * controller, which Spring MVC's route to the controller throws again, so error
	 * answers have one mapping.
	 * @param observed whether Spring's observation times the request (it gets the route
	 * that Spring MVC would have given it)
	 */
	private void serve(HttpServletRequest request, HttpServletResponse response, FilterChain chain, ApiCall call,
			boolean observed) throws ServletException, IOException {
		String path = request.getRequestURI();
		if (!routedToController(request, path)) {
			chain.doFilter(request, response);
			return;
		}
		if (observed) {
			ServerHttpObservationFilter.findObservationContext(request)
				.ifPresent((context) -> context.setPathPattern(path));
		}
		call.served();
		byte[] json;
		try {
			json = this.controller.answer(request, call);
		}
		catch (IOException | RuntimeException ex) {
			call.failed(ex);
			chain.doFilter(request, response);
			return;
		}
		// a failure to write the answer (the client went away) is the container's, as
		// it was when Spring MVC wrote it
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setContentLength(json.length);
		response.getOutputStream().write(json);
	}

	/**
	 * Whether Spring MVC's mapping of {@link CumSumController} matches: the path
	 * {@code /api} or {@code /api/} as sent, and a content type that
	 * {@code application/json} includes (its parameters, such as a charset, do not
	 * matter), as its {@code consumes} condition decides.
	 */
	private static boolean routedToController(HttpServletRequest request, String path) {
		if (!CumSumController.isPath(path)) {
			return false;
		}
		String contentType = request.getContentType();
		if (contentType == null || contentType.isEmpty()) {
			return false;
		}
		if (MediaType.APPLICATION_JSON_VALUE.equals(contentType)) {
			return true;
		}
		try {
			return MediaType.APPLICATION_JSON.includes(MediaType.parseMediaType(contentType));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

}
