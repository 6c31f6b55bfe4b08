package dev.cumsum.api.delivery;

import java.util.List;

import dev.cumsum.transaction.v1.RecordBatchResponse;
import io.grpc.Status;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static dev.cumsum.api.delivery.TestRecords.pending;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RecordOutcomes}: each record is settled and counted once, by whichever outcome
 * comes first.
 */
class RecordOutcomesTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final RecordOutcomes outcomes = new RecordOutcomes(
			new DeliveryMetrics(this.registry, DeliveryMode.ASYNC, () -> 0, 10, () -> 0));

	@Test
	void theFirstOutcomeOfARecordIsTheOnlyOneCounted() {
		Pending givenUp = pending("given-up");
		Pending acknowledged = pending("acknowledged");
		Pending conflicting = pending("conflicting");
		List<Pending> batch = List.of(givenUp, acknowledged, conflicting);

		this.outcomes.giveUp(givenUp.acknowledged(), new IllegalStateException("deadline"));
		this.outcomes.acknowledge(batch,
				RecordBatchResponse.newBuilder().addConflictingRequestIds("conflicting").build());
		this.outcomes.lose(batch, new IllegalStateException("shutdown"));
		this.outcomes.fail(batch, CallFailure.PERMANENT, Status.INTERNAL.asRuntimeException());

		assertThat(givenUp.acknowledged()).isCompletedExceptionally();
		assertThat(acknowledged.acknowledged()).isCompleted().isNotCompletedExceptionally();
		assertThat(conflicting.acknowledged()).failsWithin(java.time.Duration.ZERO)
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(RequestIdConflictException.class);
		assertThat(records("failed")).isEqualTo(1);
		assertThat(records("acknowledged")).isEqualTo(1);
		assertThat(records("conflict")).isEqualTo(1);
		assertThat(records("lost")).isZero();
	}

	@Test
	void lostAndFailedRecordsAreCountedOnceEach() {
		List<Pending> lost = List.of(pending("lost-1"), pending("lost-2"));
		List<Pending> failed = List.of(pending("failed-1"));

		this.outcomes.lose(lost, new IllegalStateException("shutdown"));
		this.outcomes.lose(lost, new IllegalStateException("shutdown"));
		this.outcomes.fail(failed, CallFailure.REJECTED, Status.INVALID_ARGUMENT.asRuntimeException());

		assertThat(records("lost")).isEqualTo(2);
		assertThat(records("failed")).isEqualTo(1);
	}

	private double records(String result) {
		return this.registry.get("cumsum.delivery.records").tag("result", result).counter().count();
	}

}
