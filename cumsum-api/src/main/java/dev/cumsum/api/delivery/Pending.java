package dev.cumsum.api.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.Values;
import io.micrometer.tracing.TraceContext;

/**
 * A record held by the batcher. {@code taken} is set once, by whichever comes first: the
 * dispatcher putting it into a batch, or its strict caller withdrawing it at its
 * deadline.
 */
record Pending(Record record, long size, CompletableFuture<Void> acknowledged, TraceContext traceContext, long deadline,
		AtomicBoolean taken) {

	static Pending of(Record record, TraceContext traceContext, long deadline) {
		return new Pending(record, heldSize(record), new CompletableFuture<>(), traceContext, deadline,
				new AtomicBoolean());
	}

	/**
	 * What a record costs in the heap while held, which bufferMaxBytes bounds: its
	 * serialized size, plus for each decimal value its String (header, array, reference:
	 * 56 bytes) and for each integer 8 bytes (the serialized form of a small integer is
	 * one byte, the held form eight), plus 256 bytes for the record, its future and its
	 * trace context.
	 */
	static long heldSize(Record record) {
		return record.getSerializedSize() + valuesHeap(record.getInput()) + valuesHeap(record.getOutput()) + 256;
	}

	private static long valuesHeap(Values values) {
		return 56L * values.getDecimals().getValuesCount() + 8L * values.getInts().getValuesCount();
	}

	String requestId() {
		return this.record.getRequestId();
	}

}
