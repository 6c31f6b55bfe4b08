package dev.cumsum.transaction;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.cumsum.transaction.v1.DecimalList;
import dev.cumsum.transaction.v1.Int64List;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.Values;

/** Records as cumsum-api sends them. */
public final class TestRecords {

	private TestRecords() {
	}

	/** A record whose output is the cumulative sum of small int inputs. */
	public static Record record(String id, Instant receivedAt, String pod, long... input) {
		long[] output = new long[input.length];
		long sum = 0;
		for (int i = 0; i < input.length; i++) {
			sum += input[i];
			output[i] = sum;
		}
		return Record.newBuilder()
			.setRequestId(id)
			.setReceivedAt(timestamp(receivedAt))
			.setMode("man")
			.setInput(ints(input))
			.setOutput(ints(output))
			.setLength(input.length)
			.setComputeNs(1234)
			.setPod(pod)
			.setTraceId("4bf92f3577b34da6a3ce929d0e0e4736")
			.build();
	}

	/**
	 * The record with an input digest (any bytes: transaction-api only compares them).
	 */
	public static Record withDigest(Record record, String digest) {
		return record.toBuilder().setInputDigest(ByteString.copyFromUtf8(digest)).build();
	}

	public static Timestamp timestamp(Instant instant) {
		// stored with millisecond precision
		long millis = instant.toEpochMilli();
		return Timestamp.newBuilder()
			.setSeconds(Math.floorDiv(millis, 1000))
			.setNanos((int) Math.floorMod(millis, 1000) * 1_000_000)
			.build();
	}

	public static Instant instant(Timestamp timestamp) {
		return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
	}

	public static Values ints(long... values) {
		return Values.newBuilder()
			.setInts(Int64List.newBuilder().addAllValues(Arrays.stream(values).boxed().toList()))
			.build();
	}

	public static Values decimals(String... values) {
		return Values.newBuilder().setDecimals(DecimalList.newBuilder().addAllValues(List.of(values))).build();
	}

	/** Values at the edges: int64 limits, and decimals outside int64 or not integers. */
	public static Record extremes(String id, Instant receivedAt) {
		return Record.newBuilder()
			.setRequestId(id)
			.setReceivedAt(timestamp(receivedAt))
			.setMode("np")
			.setInput(decimals("9223372036854775807", "1", "0.3", "1E+400", "-9223372036854775809"))
			.setOutput(
					decimals("9223372036854775807", "9223372036854775808", "9223372036854775808.3", "1E+400", "1E+400"))
			.setLength(5)
			.setComputeNs(Long.MAX_VALUE)
			.setPod("pod-extremes")
			.setTraceId("")
			.build();
	}

	public static Record int64Limits(String id, Instant receivedAt) {
		return Record.newBuilder()
			.setRequestId(id)
			.setReceivedAt(timestamp(receivedAt))
			.setMode("man")
			.setInput(ints(Long.MIN_VALUE, Long.MAX_VALUE, 0, -1))
			.setOutput(ints(Long.MIN_VALUE, -1, -1, -2))
			.setLength(4)
			.setComputeNs(0)
			.setPod("pod-limits")
			.setTraceId("")
			.build();
	}

}
