package dev.cumsum.api.delivery;

import java.time.Duration;

import dev.cumsum.transaction.v1.Int64List;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.Values;

import org.springframework.util.unit.DataSize;

/** Records and settings for the tests of the delivery parts. */
final class TestRecords {

	private TestRecords() {
	}

	/** A record of {@code length} integers in and out. */
	static Record record(String id, int length) {
		Int64List.Builder values = Int64List.newBuilder();
		for (int i = 0; i < length; i++) {
			values.addValues(1_000_000L + i);
		}
		return Record.newBuilder()
			.setRequestId(id)
			.setMode("man")
			.setLength(length)
			.setInput(Values.newBuilder().setInts(values))
			.setOutput(Values.newBuilder().setInts(values))
			.setPod("test")
			.build();
	}

	static Pending pending(String id) {
		return pending(id, 1);
	}

	static Pending pending(String id, int length) {
		return Pending.of(record(id, length), null, System.nanoTime() + Duration.ofSeconds(10).toNanos());
	}

	/**
	 * Short backoffs (20 ms doubling up to 150 ms) so that retries happen within a test.
	 */
	static DeliveryProperties properties(DeliveryMode mode, Duration timeout) {
		return new DeliveryProperties(mode, 1_000, DataSize.ofMegabytes(32), 500, DataSize.ofMegabytes(4), 4, timeout,
				Duration.ofMillis(20), Duration.ofMillis(150), Duration.ofSeconds(5), Duration.ofSeconds(2));
	}

}
