package dev.cumsum.api.delivery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.cumsum.api.delivery.TestRecords.pending;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BatchTaker} on its own: what goes into one batch, and the dispatcher handing
 * batches over as call slots free up (the batches are collected here instead of sent).
 */
class BatchTakerTests {

	private final BlockingQueue<List<Pending>> sent = new LinkedBlockingQueue<>();

	private BatchTaker taker;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.taker != null) {
			this.taker.finish(Duration.ofSeconds(5));
			this.taker.interrupt();
		}
	}

	@Test
	void aBatchTakesWhatIsBufferedUpToTheMaximumSize() {
		HeldRecords held = holding(10, "a", "b", "c", "d", "e");
		BatchTaker taker = new BatchTaker(held, 3, Long.MAX_VALUE, this.sent::add);

		assertThat(ids(taker.takeBatch(held.poll()))).containsExactly("a", "b", "c");
		assertThat(ids(taker.takeBatch(held.poll()))).containsExactly("d", "e");
	}

	@Test
	void aBatchEndsBeforeTheRecordThatWouldExceedTheMaximumBytesButAlwaysTakesOne() {
		HeldRecords held = new HeldRecords(10, Long.MAX_VALUE, 1);
		Pending small = pending("small", 10);
		Pending large = pending("large", 1_000);
		held.hold(small);
		held.hold(large);
		BatchTaker taker = new BatchTaker(held, 500, small.size() + 1, this.sent::add);

		assertThat(ids(taker.takeBatch(held.poll()))).containsExactly("small");
		assertThat(ids(taker.takeBatch(held.poll()))).as("a larger single record goes alone").containsExactly("large");
	}

	@Test
	void anIdAlreadyInTheBatchEndsIt() {
		HeldRecords held = holding(10, "a", "twice", "b", "twice", "c");
		BatchTaker taker = new BatchTaker(held, 500, Long.MAX_VALUE, this.sent::add);

		assertThat(ids(taker.takeBatch(held.poll()))).containsExactly("a", "twice", "b");
		assertThat(ids(taker.takeBatch(held.poll()))).containsExactly("twice", "c");
	}

	@Test
	void aWithdrawnRecordIsNeverTaken() {
		HeldRecords held = new HeldRecords(10, Long.MAX_VALUE, 1);
		Pending first = pending("first");
		Pending withdrawn = pending("withdrawn");
		Pending last = pending("last");
		held.hold(first);
		held.hold(withdrawn);
		held.hold(last);
		held.withdraw(withdrawn);
		BatchTaker taker = new BatchTaker(held, 500, Long.MAX_VALUE, this.sent::add);

		assertThat(ids(taker.takeBatch(held.poll()))).containsExactly("first", "last");
		assertThat(first.taken()).isTrue();
		assertThat(last.taken()).isTrue();
	}

	@Test
	void whileEveryCallSlotIsBusyRecordsAccumulateIntoTheNextBatch() throws InterruptedException {
		HeldRecords held = new HeldRecords(100, Long.MAX_VALUE, 1);
		this.taker = new BatchTaker(held, 500, Long.MAX_VALUE, this.sent::add);
		this.taker.start();
		held.hold(pending("alone"));
		List<Pending> first = this.sent.poll(5, TimeUnit.SECONDS);
		assertThat(ids(first)).containsExactly("alone");

		for (String id : List.of("a", "b", "c")) {
			held.hold(pending(id));
		}
		assertThat(this.sent.poll(300, TimeUnit.MILLISECONDS)).as("no call slot free: nothing is taken").isNull();
		assertThat(held.size()).isEqualTo(3);

		held.sent(first);
		held.settle(first);
		assertThat(ids(this.sent.poll(5, TimeUnit.SECONDS))).containsExactly("a", "b", "c");
	}

	@Test
	void finishingSendsWhatIsStillBuffered() throws InterruptedException {
		HeldRecords held = new HeldRecords(100, Long.MAX_VALUE, 4);
		this.taker = new BatchTaker(held, 2, Long.MAX_VALUE, this.sent::add);
		for (String id : List.of("a", "b", "c")) {
			held.hold(pending(id));
		}
		this.taker.start();
		this.taker.finish(Duration.ofSeconds(5));

		assertThat(held.isEmpty()).isTrue();
		assertThat(this.sent.stream().flatMap(List::stream).map(Pending::requestId)).containsExactly("a", "b", "c");
	}

	private static HeldRecords holding(int capacity, String... ids) {
		HeldRecords held = new HeldRecords(capacity, Long.MAX_VALUE, 1);
		for (String id : ids) {
			held.hold(pending(id));
		}
		return held;
	}

	private static List<String> ids(List<Pending> batch) {
		return batch.stream().map(Pending::requestId).toList();
	}

}
