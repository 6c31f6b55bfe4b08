package dev.cumsum.api.cumsum;

import java.math.BigDecimal;
import java.time.Instant;

import com.google.protobuf.Timestamp;
import dev.cumsum.api.cumsum.NumberArray.Decimals;
import dev.cumsum.api.cumsum.NumberArray.Longs;
import dev.cumsum.transaction.v1.DecimalList;
import dev.cumsum.transaction.v1.Int64List;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.Values;

/** Builds the history record handed to transaction-api. */
final class HistoryRecords {

	private HistoryRecords() {
	}

	static Record of(String requestId, Instant receivedAt, Mode mode, NumberArray input, NumberArray output,
			long computeNs, String pod, String traceId) {
		return Record.newBuilder()
			.setRequestId(requestId)
			.setReceivedAt(Timestamp.newBuilder()
				.setSeconds(receivedAt.getEpochSecond())
				.setNanos(receivedAt.getNano()))
			.setMode(mode.label())
			.setInput(values(input))
			.setOutput(values(output))
			.setLength(input.length())
			.setComputeNs(computeNs)
			.setPod(pod)
			.setTraceId(traceId)
			.build();
	}

	static Values values(NumberArray numbers) {
		return switch (numbers) {
			case Longs longs -> {
				Int64List.Builder list = Int64List.newBuilder();
				for (long value : longs.values()) {
					list.addValues(value);
				}
				yield Values.newBuilder().setInts(list).build();
			}
			case Decimals decimals -> {
				DecimalList.Builder list = DecimalList.newBuilder();
				for (BigDecimal value : decimals.values()) {
					list.addValues(value.toString());
				}
				yield Values.newBuilder().setDecimals(list).build();
			}
		};
	}

}
