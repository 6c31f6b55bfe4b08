package dev.cumsum.api.cumsum;

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
