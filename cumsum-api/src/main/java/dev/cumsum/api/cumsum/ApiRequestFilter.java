package dev.cumsum.api.cumsum;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.slf4j.MDC;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Around every {@code POST /api}: resolves the request id (client's or generated), echoes
 * it in {@code X-Request-Id} on every answer including errors, puts it on the trace span
 * and in the log context ({@code request_id}), and counts the request once it finished;
 * then gives its admission ticket back (after the answer was written, which is part of
 * what the ticket paid for). After an error answer, what is left of the body is
 * discarded, up to the body limit ({@link UnreadBody}), so the client gets its answer and
 * keeps its connection. When Spring's {@code http.server.requests} observation skipped
 * the request ({@link ApiObservationPredicate}: not traced), the filter records that
 * timer itself ({@link ApiRequestTimers}).
 */
class ApiRequestFilter extends OncePerRequestFilter {

	static final String MDC_KEY = "request_id";

	private final ApiRequestMetrics metrics;

	private final ApiRequestTimers timers;

	private final Tracer tracer;

	private final long maxBodyBytes;

	ApiRequestFilter(ApiRequestMetrics metrics, ApiRequestTimers timers, Tracer tracer, RequestLimits limits) {
		this.metrics = metrics;
		this.timers = timers;
		this.tracer = tracer;
		this.maxBodyBytes = limits.maxBodySize().toBytes();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// Spring's observation skipped this request (ApiObservationPredicate): time it
		// here
		boolean timed = request.getAttribute(ApiObservationPredicate.UNOBSERVED) != null;
		long start = timed ? System.nanoTime() : 0;
		LongTaskTimer.Sample active = timed ? this.timers.start() : null;
		Throwable error = null;
		try {
			filter(request, response, chain);
		}
		catch (ServletException | IOException | RuntimeException | Error ex) {
			error = (ex instanceof ServletException servlet && servlet.getRootCause() != null) ? servlet.getRootCause()
					: ex;
			throw ex;
		}
		finally {
			if (active != null) {
				active.stop();
				// as Spring's filter: an exception that escapes is a 500 unless an answer
				// was
				// committed
				int status = (error != null && !response.isCommitted()) ? 500 : response.getStatus();
				this.timers.record(request, status, error, System.nanoTime() - start);
			}
		}
	}

	private void filter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = request.getHeader(RequestIds.HEADER);
		boolean valid;
		if (id == null || id.isEmpty()) {
			id = RequestIds.generate();
			valid = true;
		}
		else {
			valid = RequestIds.isValid(id);
		}
		ApiCall call = ApiCall.start(request, valid ? id : null);
		if (valid) {
			response.setHeader(RequestIds.HEADER, id);
			MDC.put(MDC_KEY, id);
			Span span = this.tracer.currentSpan();
			if (span != null) {
				span.tag("cumsum.request_id", id);
			}
		}
		try {
			chain.doFilter(request, response);
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

}
