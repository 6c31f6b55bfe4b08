package dev.cumsum.api.delivery;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * The record could not be handed over: 503 with Retry-After; nothing is claimed stored.
 */
public class DeliveryUnavailableException extends ErrorResponseException {

	DeliveryUnavailableException(String detail, int retryAfterSeconds) {
		super(HttpStatus.SERVICE_UNAVAILABLE, problem(detail), null);
		getHeaders().set(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
	}

	private static ProblemDetail problem(String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail);
		problem.setTitle("History unavailable");
		return problem;
	}

}
