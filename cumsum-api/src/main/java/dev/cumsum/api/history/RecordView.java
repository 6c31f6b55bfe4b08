package dev.cumsum.api.history;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.google.protobuf.Timestamp;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.Values;

/** One stored request as JSON; input and output are omitted in lists. */
@JsonInclude(JsonInclude.Include.NON_NULL)
record RecordView(String requestId, Instant receivedAt, String mode, int length, List<? extends Number> input,
		List<? extends Number> output, long execNs, String pod, String traceId) {

	static RecordView of(Record record, boolean withValues) {
		return new RecordView(record.getRequestId(), instant(record.getReceivedAt()), record.getMode(),
				record.getLength(), withValues ? numbers(record.getInput()) : null,
				withValues ? numbers(record.getOutput()) : null, record.getComputeNs(), record.getPod(),
				record.getTraceId());
	}

	static Instant instant(Timestamp timestamp) {
		return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
	}

	/**
	 * Exact numbers: decimals are rendered from their text by Jackson as JSON numbers,
	 * never doubles.
	 */
	private static List<? extends Number> numbers(Values values) {
		return switch (values.getKindCase()) {
			case INTS -> values.getInts().getValuesList();
			case DECIMALS -> values.getDecimals().getValuesList().stream().map(BigDecimal::new).toList();
			case KIND_NOT_SET -> List.of();
		};
	}

}
