package dev.cumsum.api.delivery;

import java.util.Set;

import io.grpc.Status;
import io.grpc.Status.Code;

/**
 * What a failed RecordBatch call means for its records, by gRPC status code: whether
 * sending them again can help (async retries only these), and whether the write may have
 * happened anyway (then a strict client is told "outcome unknown", never "not stored").
 */
enum CallFailure {

	/**
	 * UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED: transient. The request may have
	 * reached transaction-api and its insert may have committed (a write-concern timeout
	 * or a connection lost after sending also ends this way), so the outcome is unknown.
	 */
	TRANSIENT(true, true),

	/**
	 * INVALID_ARGUMENT and the other codes transaction-api (or gRPC) answers before any
	 * write: nothing was stored, and sending the same records again fails the same way.
	 */
	REJECTED(false, false),

	/**
	 * CANCELLED, INTERNAL, UNKNOWN, ABORTED, DATA_LOSS, ...: not retried, and nothing
	 * proves that the insert did not commit (an INTERNAL or UNKNOWN error may come after
	 * it).
	 */
	PERMANENT(false, true);

	private static final Set<Code> RETRYABLE = Set.of(Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED,
			Code.RESOURCE_EXHAUSTED);

	/**
	 * Answered before the handler wrote anything: validation, routing, authentication.
	 */
	private static final Set<Code> BEFORE_ANY_WRITE = Set.of(Code.INVALID_ARGUMENT, Code.FAILED_PRECONDITION,
			Code.OUT_OF_RANGE, Code.UNIMPLEMENTED, Code.UNAUTHENTICATED, Code.PERMISSION_DENIED, Code.NOT_FOUND);

	private final boolean retryable;

	private final boolean mayHaveStored;

	CallFailure(boolean retryable, boolean mayHaveStored) {
		this.retryable = retryable;
		this.mayHaveStored = mayHaveStored;
	}

	static CallFailure of(Throwable failure) {
		return of(Status.fromThrowable(failure).getCode());
	}

	static CallFailure of(Code code) {
		if (RETRYABLE.contains(code)) {
			return TRANSIENT;
		}
		return BEFORE_ANY_WRITE.contains(code) ? REJECTED : PERMANENT;
	}

	/** Async mode sends the batch again (with backoff) only for these. */
	boolean retryable() {
		return this.retryable;
	}

	/** False only when the status proves that nothing was written. */
	boolean mayHaveStored() {
		return this.mayHaveStored;
	}

}
