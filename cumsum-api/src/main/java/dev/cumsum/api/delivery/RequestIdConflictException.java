package dev.cumsum.api.delivery;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * transaction-api already holds a record under this request id for a different request
 * (another mode or input): a reused X-Request-Id, not a retry. Nothing was stored; 409.
 */
public class RequestIdConflictException extends ErrorResponseException {

	private final String requestId;

	RequestIdConflictException(String requestId) {
		super(HttpStatus.CONFLICT, problem(), null);
		this.requestId = requestId;
	}

	private static ProblemDetail problem() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT,
				"request id already used for a different request: send a new X-Request-Id (reuse an id only to "
						+ "retry the same request)");
		problem.setTitle("Request id conflict");
		return problem;
	}

	String requestId() {
		return this.requestId;
	}

}
