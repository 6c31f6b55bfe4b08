package dev.cumsum.transaction.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.cumsum.transaction.v1.DecimalList;
import dev.cumsum.transaction.v1.Int64List;
import dev.cumsum.transaction.v1.Record;
import org.bson.Document;
import org.bson.types.Binary;

/**
 * One stored record, the store's own type, and the only place that knows its two other
 * shapes: the gRPC message ({@link #from(Record)}, {@link #toProto()}) and the stored
 * document ({@link #toDocument()}, {@link #of(Document)}). A stored field is added here:
 * one component, and one line in each of the four translations.
 * <p>
 * The stored schema (README, "Stored schema"): {@code _id} request id,
 * {@code received_at} date (milliseconds), {@code mode}, {@code input} and {@code output}
 * as arrays of int64 when every value fits, otherwise arrays of exact decimal strings,
 * {@code length}, {@code compute_ns}, {@code pod}, {@code trace_id}, and
 * {@code input_digest} (binary, absent when the client sent none, as in records stored
 * before it existed).
 * <p>
 * Mapped by hand rather than with Spring Data's {@code MappingMongoConverter}: on the
 * write path the converter cost 15 to 70 times as much per record (3 to 10 µs against 0.2
 * to 0.3 µs for 10 values, 30 to 45 µs against under 1 µs for 100), and the int64 or
 * decimal arrays would need custom converters.
 *
 * @param input null when read without values (a page)
 * @param output null when read without values (a page)
 * @param inputDigest empty when the client sent none
 */
record HistoryRecord(String requestId, Instant receivedAt, String mode, Numbers input, Numbers output, int length,
		long computeNs, String pod, String traceId, ByteString inputDigest) {

	static final String ID = "_id";
	static final String RECEIVED_AT = "received_at";
	static final String POD = "pod";
	static final String INPUT = "input";
	static final String OUTPUT = "output";
	static final String INPUT_DIGEST = "input_digest";

	/**
	 * The record as cumsum-api sent it, {@code receivedAt} at millisecond precision as
	 * stored (null when not set: {@link History} rejects it).
	 */
	static HistoryRecord from(Record record) {
		Timestamp at = record.getReceivedAt();
		return new HistoryRecord(record.getRequestId(),
				record.hasReceivedAt() ? Instant.ofEpochMilli(at.getSeconds() * 1000 + at.getNanos() / 1_000_000)
						: null,
				record.getMode(), Numbers.from(record.getInput()), Numbers.from(record.getOutput()), record.getLength(),
				record.getComputeNs(), record.getPod(), record.getTraceId(), record.getInputDigest());
	}

	Record toProto() {
		Record.Builder record = Record.newBuilder()
			.setRequestId(this.requestId)
			.setReceivedAt(timestamp(this.receivedAt))
			.setMode(this.mode)
			.setLength(this.length)
			.setComputeNs(this.computeNs)
			.setPod(this.pod)
			.setTraceId(this.traceId)
			.setInputDigest(this.inputDigest);
		if (this.input != null) {
			record.setInput(this.input.toProto());
		}
		if (this.output != null) {
			record.setOutput(this.output.toProto());
		}
		return record.build();
	}

	Document toDocument() {
		Document document = new Document(ID, this.requestId).append(RECEIVED_AT, Date.from(this.receivedAt))
			.append("mode", this.mode)
			.append(INPUT, Numbers.stored(this.input))
			.append(OUTPUT, Numbers.stored(this.output))
			.append("length", this.length)
			.append("compute_ns", this.computeNs)
			.append(POD, this.pod)
			.append("trace_id", this.traceId);
		if (!this.inputDigest.isEmpty()) {
			document.append(INPUT_DIGEST, new Binary(this.inputDigest.toByteArray()));
		}
		return document;
	}

	/** The stored record; without values when the read left them out. */
	static HistoryRecord of(Document doc) {
		return new HistoryRecord(doc.getString(ID), doc.getDate(RECEIVED_AT).toInstant(), doc.get("mode", ""),
				Numbers.of(doc.getList(INPUT, Object.class)), Numbers.of(doc.getList(OUTPUT, Object.class)),
				doc.get("length", Number.class).intValue(), doc.get("compute_ns", Number.class).longValue(),
				doc.get(POD, ""), doc.get("trace_id", ""), inputDigest(doc));
	}

	/** The stored digest, or an empty one for a record stored without. */
	static ByteString inputDigest(Document doc) {
		Object digest = doc.get(INPUT_DIGEST);
		return (digest instanceof Binary binary) ? ByteString.copyFrom(binary.getData()) : ByteString.EMPTY;
	}

	/**
	 * An upper bound of the size of {@link #toDocument()} in BSON, without encoding it:
	 * checking against MongoDB's document limit needs the exact size only above this.
	 */
	long bsonBytesBound() {
		long chars = this.requestId.length() + this.mode.length() + this.pod.length() + this.traceId.length();
		return 1024 + 3 * chars + this.inputDigest.size() + Numbers.bytesBound(this.input)
				+ Numbers.bytesBound(this.output);
	}

	static Timestamp timestamp(Instant instant) {
		return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
	}

	/** An exact list of numbers: int64 when every value fits, else decimal strings. */
	sealed interface Numbers {

		List<?> values();

		dev.cumsum.transaction.v1.Values toProto();

		static Numbers from(dev.cumsum.transaction.v1.Values values) {
			return switch (values.getKindCase()) {
				case DECIMALS -> new Decimals(values.getDecimals().getValuesList());
				case INTS -> new Ints(values.getInts().getValuesList());
				case KIND_NOT_SET -> new Ints(List.of());
			};
		}

		private static List<?> stored(Numbers numbers) {
			return (numbers != null) ? numbers.values() : List.of();
		}

		private static Numbers of(List<Object> stored) {
			if (stored == null) {
				return null;
			}
			if (stored.stream().anyMatch(String.class::isInstance)) {
				List<String> strings = new ArrayList<>(stored.size());
				stored.forEach((v) -> strings.add(v.toString()));
				return new Decimals(strings);
			}
			List<Long> ints = new ArrayList<>(stored.size());
			stored.forEach((v) -> ints.add(((Number) v).longValue()));
			return new Ints(ints);
		}

		/** BSON adds at most ~20 bytes to an array element (type, index key, length). */
		private static long bytesBound(Numbers numbers) {
			return switch (numbers) {
				case null -> 0;
				case Ints ints -> 40L * ints.values().size();
				case Decimals decimals -> decimals.values().stream().mapToLong((v) -> 40L + 3L * v.length()).sum();
			};
		}

	}

	record Ints(List<Long> values) implements Numbers {

		@Override
		public dev.cumsum.transaction.v1.Values toProto() {
			return dev.cumsum.transaction.v1.Values.newBuilder()
				.setInts(Int64List.newBuilder().addAllValues(this.values))
				.build();
		}

	}

	record Decimals(List<String> values) implements Numbers {

		@Override
		public dev.cumsum.transaction.v1.Values toProto() {
			return dev.cumsum.transaction.v1.Values.newBuilder()
				.setDecimals(DecimalList.newBuilder().addAllValues(this.values))
				.build();
		}

	}

}
