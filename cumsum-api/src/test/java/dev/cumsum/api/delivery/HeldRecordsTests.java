package dev.cumsum.api.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static dev.cumsum.api.delivery.TestRecords.pending;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link HeldRecords} on its own: the record and byte budgets, withdrawal, the call slots
 * and what is left at shutdown.
 */
class HeldRecordsTests {

	@Test
	void holdsUpToItsCapacityAndCountsTheBytesOfWhatItHolds() {
		HeldRecords held = new HeldRecords(2, Long.MAX_VALUE, 1);
		Pending first = pending("first");
		Pending second = pending("second");

		assertThat(held.hold(first)).isTrue();
		assertThat(held.hold(second)).isTrue();
		assertThat(held.hold(pending("third"))).as("over the capacity").isFalse();

		assertThat(held.size()).isEqualTo(2);
		assertThat(held.bytes()).as("the refused record's bytes are given back")
			.isEqualTo(first.size() + second.size());
	}

	@Test
	void theByteBudgetRefusesWhatWouldExceedItButNeverALoneRecord() {
		Pending a = pending("a", 100);
		Pending b = pending("b", 100);
		HeldRecords held = new HeldRecords(100, a.size() + b.size(), 1);

		assertThat(held.hold(a)).isTrue();
		assertThat(held.hold(b)).isTrue();
		assertThat(held.hold(pending("c", 100))).as("over the byte budget").isFalse();
		assertThat(held.bytes()).isEqualTo(a.size() + b.size());

		HeldRecords empty = new HeldRecords(100, a.size(), 1);
		Pending huge = pending("huge", 10_000);
		assertThat(empty.hold(huge)).as("alone, a record over the budget still goes").isTrue();
		assertThat(empty.bytes()).isEqualTo(huge.size());
	}

	@Test
	void aWithdrawnRecordGivesBackItsPlaceAndBytesOnlyIfNotYetTaken() {
		HeldRecords held = new HeldRecords(1, Long.MAX_VALUE, 1);
		Pending waiting = pending("waiting");
		held.hold(waiting);

		assertThat(held.withdraw(waiting)).as("never sent").isTrue();
		assertThat(held.size()).isZero();
		assertThat(held.bytes()).isZero();
		assertThat(held.withdraw(waiting)).as("once only").isFalse();
		assertThat(held.bytes()).isZero();

		Pending taken = pending("taken");
		held.hold(taken);
		taken.taken().set(true);
		assertThat(held.withdraw(taken)).as("already in a batch").isFalse();
		assertThat(held.bytes()).as("its batch gives the bytes back when it settles").isEqualTo(taken.size());
	}

	@Test
	void aSettledBatchFreesItsBytesAndCallSlotOnce() throws InterruptedException {
		HeldRecords held = new HeldRecords(10, Long.MAX_VALUE, 1);
		Pending record = pending("record");
		held.hold(record);
		held.acquireCall();
		List<Pending> batch = List.of(held.poll(1, TimeUnit.SECONDS));
		held.sent(batch);

		long start = System.nanoTime();
		held.awaitNoCalls(start + Duration.ofMillis(200).toNanos());
		assertThat(System.nanoTime() - start).as("a call in flight is waited for")
			.isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
		assertThat(held.outstanding()).containsExactly(batch);

		held.settle(batch);
		held.settle(batch);
		assertThat(held.outstanding()).isEmpty();
		assertThat(held.bytes()).isZero();
		// the one slot is free, and a second settlement did not make a second one
		held.acquireCall();
		start = System.nanoTime();
		held.awaitNoCalls(start + Duration.ofMillis(200).toNanos());
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
		held.releaseCall();
		start = System.nanoTime();
		held.awaitNoCalls(start + Duration.ofSeconds(10).toNanos());
		assertThat(System.nanoTime() - start).as("no call in flight").isLessThan(Duration.ofSeconds(5).toNanos());
	}

	@Test
	void aBatchIsTrackedByIdentityNotByAnEqualList() throws InterruptedException {
		HeldRecords held = new HeldRecords(10, Long.MAX_VALUE, 1);
		held.hold(pending("record"));
		held.acquireCall();
		List<Pending> batch = new ArrayList<>(List.of(held.poll(1, TimeUnit.SECONDS)));
		held.sent(batch);

		held.settle(List.copyOf(batch));
		assertThat(held.outstanding()).as("an equal list is not the batch that was sent").hasSize(1);
		assertThat(held.bytes()).isPositive();

		held.settle(batch);
		assertThat(held.outstanding()).isEmpty();
		assertThat(held.bytes()).isZero();
	}

	@Test
	void atShutdownWhatWasNeverTakenIsHandedOverAndCannotBeWithdrawnAnymore() {
		HeldRecords held = new HeldRecords(10, Long.MAX_VALUE, 1);
		Pending withdrawn = pending("withdrawn");
		Pending left = pending("left");
		held.hold(withdrawn);
		held.hold(left);
		held.withdraw(withdrawn);

		assertThat(held.takeUnsent()).containsExactly(left);
		assertThat(held.bytes()).isZero();
		assertThat(held.withdraw(left)).as("its bytes are not given back twice").isFalse();
		assertThat(held.bytes()).isZero();
	}

}
