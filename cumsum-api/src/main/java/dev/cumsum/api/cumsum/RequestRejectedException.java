package dev.cumsum.api.cumsum;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * {@code POST /api} refused before or while its work is done: a problem detail whose
 * status and title come from the {@link Reason}.
 */
class RequestRejectedException extends ErrorResponseException {

	/** Why a request is refused; owns its status and problem title. */
	enum Reason {

		/** A body or header the API cannot accept. */
		INVALID(HttpStatus.BAD_REQUEST, "Invalid request"),

		/**
		 * Over one of the configured limits, detected while reading, before buffering it
		 * all.
		 */
		TOO_LARGE(HttpStatus.CONTENT_TOO_LARGE, "Request too large"),

		/** Admission control: the instance is at capacity; retry later. */
		OVERLOADED(HttpStatus.SERVICE_UNAVAILABLE, "Overloaded");

		private final HttpStatus status;

		private final String title;

		Reason(HttpStatus status, String title) {
			this.status = status;
			this.title = title;
		}

	}

	private final Reason reason;

	private RequestRejectedException(Reason reason, String detail) {
		super(reason.status, problem(reason, detail), null);
		this.reason = reason;
	}

	static RequestRejectedException invalid(String detail) {
		return new RequestRejectedException(Reason.INVALID, detail);
	}

	static RequestRejectedException tooLarge(String detail) {
		return new RequestRejectedException(Reason.TOO_LARGE, detail);
	}

	static RequestRejectedException overloaded(String detail, int retryAfterSeconds) {
		RequestRejectedException overloaded = new RequestRejectedException(Reason.OVERLOADED, detail);
		overloaded.getHeaders().set(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
		return overloaded;
	}

	Reason reason() {
		return this.reason;
	}

	private static ProblemDetail problem(Reason reason, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(reason.status, detail);
		problem.setTitle(reason.title);
		return problem;
	}

}
