package dev.cumsum.api.cumsum;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * One {@code POST /api} as {@link ApiRequestFilter}, {@link CumSumController} and
 * {@link Admission} share it: the filter starts it (with the request id) and finishes it
 * (counts it, gives the admission ticket back once the answer is written); the controller
 * and admission control fill in what they learn on the way (mode, ticket, refused as
 * overloaded). One typed object on the request, owned by the filter, instead of loose
 * request attributes passed both ways.
 */
final class ApiCall {

	private static final String ATTRIBUTE = ApiCall.class.getName();

	private final @Nullable String requestId;

	private final @Nullable String traceId;

	private @Nullable Mode mode;

	private Admission.@Nullable Ticket ticket;

	private boolean overloaded;

	private boolean served;

	private @Nullable Exception failure;

	/**
	 * @param requestId the request id, null when the client sent an invalid one
	 */
	ApiCall(@Nullable String requestId) {
		this(requestId, null);
	}

	ApiCall(@Nullable String requestId, @Nullable String traceId) {
		this.requestId = requestId;
		this.traceId = traceId;
	}

	/**
	 * @param traceId the trace id of a request without a span (untraced,
	 * {@link ApiObservationPredicate}), null when it has one
	 */
	static ApiCall start(HttpServletRequest request, @Nullable String requestId, @Nullable String traceId) {
		ApiCall call = new ApiCall(requestId, traceId);
		request.setAttribute(ATTRIBUTE, call);
		return call;
	}

	/** The call of a request that {@link ApiRequestFilter} started, null for others. */
	static @Nullable ApiCall find(HttpServletRequest request) {
		return (request.getAttribute(ATTRIBUTE) instanceof ApiCall call) ? call : null;
	}

	static ApiCall of(HttpServletRequest request) {
		if (request.getAttribute(ATTRIBUTE) instanceof ApiCall call) {
			return call;
		}
		throw new IllegalStateException("POST /api was not started by ApiRequestFilter");
	}

	@Nullable String requestId() {
		return this.requestId;
	}

	/** The trace id of a request without a span, null when it has a span. */
	@Nullable String traceId() {
		return this.traceId;
	}

	/**
	 * The request's mode, null until its body was read (and for bodies that were
	 * invalid).
	 */
	@Nullable Mode mode() {
		return this.mode;
	}

	void mode(Mode mode) {
		this.mode = mode;
	}

	void admitted(Admission.Ticket ticket) {
		this.ticket = ticket;
	}

	/**
	 * Refused by admission control: a 503 that is about this instance's capacity, not the
	 * history.
	 */
	void refusedAsOverloaded() {
		this.overloaded = true;
	}

	boolean overloaded() {
		return this.overloaded;
	}

	/**
	 * Answered by {@link ApiRequestFilter} itself, without Spring MVC's dispatch: the
	 * route is the one Spring MVC would have matched ({@code /api} or {@code /api/}).
	 */
	void served() {
		this.served = true;
	}

	boolean wasServed() {
		return this.served;
	}

	/**
	 * What {@link CumSumController#answer} threw when {@link ApiRequestFilter} called it
	 * directly: the filter then passes the request on to Spring MVC, whose route to the
	 * controller throws it again ({@link #rethrowFailure}), so it is answered by the same
	 * exception handling as every other error.
	 */
	void failed(Exception failure) {
		this.failure = failure;
	}

	void rethrowFailure() throws IOException {
		Exception failure = this.failure;
		if (failure == null) {
			return;
		}
		this.failure = null;
		if (failure instanceof IOException io) {
			throw io;
		}
		if (failure instanceof RuntimeException runtime) {
			throw runtime;
		}
		throw new IllegalStateException(failure);
	}

	/**
	 * Gives the admission ticket back (after the answer was written, which it paid for
	 * too).
	 */
	void release() {
		if (this.ticket != null) {
			this.ticket.close();
			this.ticket = null;
		}
	}

}
