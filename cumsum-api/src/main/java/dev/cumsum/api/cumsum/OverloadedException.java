package dev.cumsum.api.cumsum;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** Admission control refused the request: 503 with Retry-After, before any expensive work. */
class OverloadedException extends ErrorResponseException {

	OverloadedException(String detail, int retryAfterSeconds) {
		super(HttpStatus.SERVICE_UNAVAILABLE, problem(detail), null);
		getHeaders().set(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
	}

	private static ProblemDetail problem(String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
		problem.setTitle("Overloaded");
		return problem;
	}

}
