package dev.cumsum.api.delivery;

import io.grpc.Status;
import io.grpc.Status.Code;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which RecordBatch failures are retried (async) and which may have stored the record
 * (strict wording).
 */
class CallFailureTests {

	@ParameterizedTest
	@EnumSource(names = { "UNAVAILABLE", "DEADLINE_EXCEEDED", "RESOURCE_EXHAUSTED" })
	void transientCodesAreRetriedAndTheirOutcomeIsUnknown(Code code) {
		assertThat(CallFailure.of(code)).isEqualTo(CallFailure.TRANSIENT);
		assertThat(CallFailure.of(code).retryable()).isTrue();
		assertThat(CallFailure.of(code).mayHaveStored()).isTrue();
	}

	@ParameterizedTest
	@EnumSource(names = { "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE", "UNIMPLEMENTED", "UNAUTHENTICATED",
			"PERMISSION_DENIED", "NOT_FOUND" })
	void rejectionsBeforeAnyWriteAreNeitherRetriedNorPossiblyStored(Code code) {
		assertThat(CallFailure.of(code)).isEqualTo(CallFailure.REJECTED);
		assertThat(CallFailure.of(code).retryable()).isFalse();
		assertThat(CallFailure.of(code).mayHaveStored()).isFalse();
	}

	@ParameterizedTest
	@EnumSource(names = { "CANCELLED", "UNKNOWN", "INTERNAL", "ABORTED", "DATA_LOSS", "ALREADY_EXISTS" })
	void otherFailuresAreNotRetriedButMayHaveStored(Code code) {
		assertThat(CallFailure.of(code)).isEqualTo(CallFailure.PERMANENT);
		assertThat(CallFailure.of(code).retryable()).isFalse();
		assertThat(CallFailure.of(code).mayHaveStored()).isTrue();
	}

	@Test
	void anExceptionWithoutAStatusIsUnknown() {
		assertThat(CallFailure.of(new IllegalStateException("boom"))).isEqualTo(CallFailure.PERMANENT);
		assertThat(CallFailure.of(Status.UNAVAILABLE.asRuntimeException())).isEqualTo(CallFailure.TRANSIENT);
	}

}
