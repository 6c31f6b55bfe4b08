package dev.cumsum.transaction.history;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.cumsum.transaction.v1.DecimalList;
import dev.cumsum.transaction.v1.Int64List;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.Values;
import org.bson.Document;
import org.bson.types.Binary;

/**
 * Maps records to the stored document and back. The schema (documented in README):
 * {@code _id} request id, {@code received_at} date (milliseconds), {@code mode},
 * {@code input} and {@code output} as arrays of int64 when every value fits, otherwise
 * arrays of exact decimal strings, {@code length}, {@code compute_ns}, {@code pod},
 * {@code trace_id}, and {@code input_digest} (binary, absent when the client sent none,
 * as in records stored before it existed).
 */
final class RecordDocuments {

	static final String ID = "_id";
	static final String RECEIVED_AT = "received_at";
	static final String POD = "pod";
	static final String INPUT = "input";
	static final String OUTPUT = "output";
	static final String INPUT_DIGEST = "input_digest";

	private RecordDocuments() {
	}

	static Document toDocument(Record record) {
		Document document = new Document(ID, record.getRequestId()).append(RECEIVED_AT, toDate(record.getReceivedAt()))
			.append("mode", record.getMode())
			.append(INPUT, toList(record.getInput()))
			.append(OUTPUT, toList(record.getOutput()))
			.append("length", record.getLength())
			.append("compute_ns", record.getComputeNs())
			.append(POD, record.getPod())
			.append("trace_id", record.getTraceId());
		if (!record.getInputDigest().isEmpty()) {
			document.append(INPUT_DIGEST, new Binary(record.getInputDigest().toByteArray()));
		}
		return document;
	}

	/** The stored digest, or an empty one for a record stored without. */
	static ByteString inputDigest(Document doc) {
		Object digest = doc.get(INPUT_DIGEST);
		return (digest instanceof Binary binary) ? ByteString.copyFrom(binary.getData()) : ByteString.EMPTY;
	}

	static Record toRecord(Document doc) {
		Record.Builder record = Record.newBuilder()
			.setRequestId(doc.getString(ID))
			.setReceivedAt(toTimestamp(doc.getDate(RECEIVED_AT)))
			.setMode(doc.get("mode", ""))
			.setLength(doc.get("length", Number.class).intValue())
			.setComputeNs(doc.get("compute_ns", Number.class).longValue())
			.setPod(doc.get(POD, ""))
			.setTraceId(doc.get("trace_id", ""))
			.setInputDigest(inputDigest(doc));
		if (doc.containsKey(INPUT)) {
			record.setInput(toValues(doc.getList(INPUT, Object.class)));
		}
		if (doc.containsKey(OUTPUT)) {
			record.setOutput(toValues(doc.getList(OUTPUT, Object.class)));
		}
		return record.build();
	}

	static Date toDate(Timestamp ts) {
		return new Date(ts.getSeconds() * 1000 + ts.getNanos() / 1_000_000);
	}

	static Timestamp toTimestamp(Date date) {
		long millis = date.getTime();
		return Timestamp.newBuilder()
			.setSeconds(Math.floorDiv(millis, 1000))
			.setNanos((int) Math.floorMod(millis, 1000) * 1_000_000)
			.build();
	}

	private static List<?> toList(Values values) {
		return switch (values.getKindCase()) {
			case INTS -> values.getInts().getValuesList();
			case DECIMALS -> values.getDecimals().getValuesList();
			case KIND_NOT_SET -> List.of();
		};
	}

	private static Values toValues(List<Object> stored) {
		boolean decimals = stored.stream().anyMatch(String.class::isInstance);
		if (decimals) {
			List<String> strings = new ArrayList<>(stored.size());
			stored.forEach(v -> strings.add(v.toString()));
			return Values.newBuilder().setDecimals(DecimalList.newBuilder().addAllValues(strings)).build();
		}
		Int64List.Builder ints = Int64List.newBuilder();
		stored.forEach(v -> ints.addValues(((Number) v).longValue()));
		return Values.newBuilder().setInts(ints).build();
	}

}
