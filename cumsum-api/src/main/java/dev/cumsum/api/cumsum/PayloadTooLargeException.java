package dev.cumsum.api.cumsum;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A body over one of the configured limits: 413, raised while reading, before buffering it all. */
class PayloadTooLargeException extends ErrorResponseException {

	PayloadTooLargeException(String detail) {
		super(HttpStatus.CONTENT_TOO_LARGE, problem(detail), null);
	}

	private static ProblemDetail problem(String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, detail);
		problem.setTitle("Request too large");
		return problem;
	}

}
