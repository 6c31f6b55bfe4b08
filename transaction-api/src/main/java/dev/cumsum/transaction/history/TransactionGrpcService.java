package dev.cumsum.transaction.history;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import dev.cumsum.transaction.v1.GetRecordRequest;
import dev.cumsum.transaction.v1.GetStatsRequest;
import dev.cumsum.transaction.v1.ListRecordsRequest;
import dev.cumsum.transaction.v1.ListRecordsResponse;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.RecordBatchRequest;
import dev.cumsum.transaction.v1.RecordBatchResponse;
import dev.cumsum.transaction.v1.Stats;
import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.bson.BsonMaximumSizeExceededException;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * The gRPC face of the history. Every failure becomes a status the client can act on:
 * INVALID_ARGUMENT (do not retry), NOT_FOUND, UNAVAILABLE (the store failed; safe to retry).
 */
@Service
class TransactionGrpcService extends TransactionServiceGrpc.TransactionServiceImplBase {

	private static final Logger log = LoggerFactory.getLogger(TransactionGrpcService.class);

	static final int MAX_REQUEST_ID_LENGTH = 128;

	static final int DEFAULT_PAGE_SIZE = 20;

	static final int MAX_PAGE_SIZE = 100;

	static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

	private static final int WRITE_CONCERN_TIMEOUT = 64;

	private static final DocumentCodec DOCUMENT_CODEC = new DocumentCodec();

	/** Left of a call's deadline for the answer to travel back after waiting for the totals. */
	private static final Duration ANSWER_MARGIN = Duration.ofMillis(100);

	private final HistoryRepository repository;

	private final HistoryStatsCache stats;

	private final HistoryMetrics metrics;

	private final Duration queryTimeout;

	private final Tracer tracer;

	TransactionGrpcService(HistoryRepository repository, HistoryStatsCache stats, HistoryMetrics metrics,
			HistoryProperties properties, ObjectProvider<Tracer> tracer) {
		this.repository = repository;
		this.stats = stats;
		this.metrics = metrics;
		this.queryTimeout = properties.queryTimeout();
		this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
	}

	@Override
	public void recordBatch(RecordBatchRequest request, StreamObserver<RecordBatchResponse> response) {
		respond(response, () -> {
			List<Document> documents = new ArrayList<>(request.getRecordsCount());
			for (Record record : request.getRecordsList()) {
				validate(record);
				Document document = RecordDocuments.toDocument(record);
				checkSize(record, document);
				documents.add(document);
			}
			long start = System.nanoTime();
			// the write as a child of the gRPC server span: the last hop of each request's trace
			Span span = this.tracer.nextSpan()
				.name("mongodb insertMany")
				.tag("db.system", "mongodb")
				.tag("db.operation", "insertMany")
				.tag("cumsum.records", documents.size())
				.start();
			try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
				BatchResult result = this.repository.insert(documents);
				this.metrics.written(result, System.nanoTime() - start);
				if (result.inserted() > 0) {
					this.stats.written();
				}
				if (!result.conflicts().isEmpty()) {
					// ids only: the values of either request are never logged
					log.info("Request ids reused with another input (not stored): {}", result.conflicts());
				}
				return RecordBatchResponse.newBuilder()
					.setInserted(result.inserted())
					.setDuplicates(result.duplicates())
					.addAllConflictingRequestIds(result.conflicts())
					.build();
			}
			catch (RuntimeException ex) {
				this.metrics.failed(documents.size(), System.nanoTime() - start);
				span.error(ex);
				throw ex;
			}
			finally {
				span.end();
			}
		});
	}

	private static void validate(Record record) {
		String id = record.getRequestId();
		if (id.isEmpty() || id.length() > MAX_REQUEST_ID_LENGTH) {
			throw invalid("request_id must be 1.." + MAX_REQUEST_ID_LENGTH + " characters");
		}
		if (!record.hasReceivedAt()) {
			throw invalid("received_at is required (record " + id + ")");
		}
	}

	/**
	 * Rejects, before anything is written, a record MongoDB could not store: otherwise the
	 * unordered insert would store part of the batch and every retry would fail the same way.
	 */
	private static void checkSize(Record record, Document document) {
		// BSON adds at most ~20 bytes per array element over the protobuf encoding
		long bound = record.getSerializedSize() + 40L * record.getLength() + 1024;
		if (bound > MAX_DOCUMENT_BYTES
				&& new RawBsonDocument(document, DOCUMENT_CODEC).getByteBuffer().remaining() > MAX_DOCUMENT_BYTES) {
			throw invalid("record " + record.getRequestId() + " exceeds MongoDB's 16 MiB document limit");
		}
	}

	@Override
	public void getRecord(GetRecordRequest request, StreamObserver<Record> response) {
		respond(response, () -> {
			Document found = this.repository.find(request.getRequestId());
			if (found == null) {
				throw Status.NOT_FOUND.withDescription("no record with request_id " + request.getRequestId())
					.asRuntimeException();
			}
			return RecordDocuments.toRecord(found);
		});
	}

	@Override
	public void listRecords(ListRecordsRequest request, StreamObserver<ListRecordsResponse> response) {
		respond(response, () -> {
			int size = request.getPageSize();
			if (size < 0 || size > MAX_PAGE_SIZE) {
				throw invalid("page_size must be 0.." + MAX_PAGE_SIZE + " (0 means " + DEFAULT_PAGE_SIZE + ")");
			}
			PageToken after = null;
			if (!request.getPageToken().isEmpty()) {
				try {
					after = PageToken.decode(request.getPageToken());
				}
				catch (IllegalArgumentException ex) {
					throw invalid(ex.getMessage());
				}
			}
			Page page = this.repository.page((size == 0) ? DEFAULT_PAGE_SIZE : size, after);
			ListRecordsResponse.Builder builder = ListRecordsResponse.newBuilder();
			page.records().forEach((doc) -> builder.addRecords(RecordDocuments.toRecord(doc)));
			if (page.next() != null) {
				builder.setNextPageToken(page.next().encode());
			}
			return builder.build();
		});
	}

	@Override
	public void getStats(GetStatsRequest request, StreamObserver<Stats> response) {
		respond(response, () -> {
			HistoryStats stats = this.stats.get(budget());
			Stats.Builder builder = Stats.newBuilder().setCount(stats.count()).putAllCountByPod(stats.countByPod());
			if (stats.first() != null) {
				builder.setFirstReceivedAt(RecordDocuments.toTimestamp(stats.first()))
					.setLastReceivedAt(RecordDocuments.toTimestamp(stats.last()));
			}
			return builder.build();
		});
	}

	/** How long a call may wait for the totals: the query timeout, or less when its deadline is nearer. */
	private Duration budget() {
		Deadline deadline = Context.current().getDeadline();
		if (deadline == null) {
			return this.queryTimeout;
		}
		long left = deadline.timeRemaining(TimeUnit.NANOSECONDS) - ANSWER_MARGIN.toNanos();
		return Duration.ofNanos(Math.max(0, Math.min(left, this.queryTimeout.toNanos())));
	}

	private static <T> void respond(StreamObserver<T> response, Supplier<T> call) {
		T result;
		try {
			result = call.get();
		}
		catch (StatusRuntimeException ex) {
			response.onError(ex);
			return;
		}
		catch (BsonMaximumSizeExceededException ex) {
			// permanent: retrying the same batch would fail the same way
			response.onError(Status.INVALID_ARGUMENT
				.withDescription("a record exceeds MongoDB's document size limit: " + ex.getMessage())
				.asRuntimeException());
			return;
		}
		catch (HistoryStatsCache.StatsNotReadyException ex) {
			response.onError(Status.UNAVAILABLE.withDescription(ex.getMessage()).asRuntimeException());
			return;
		}
		catch (MongoException ex) {
			// the driver's message names hosts and cluster state: logged here, never sent to clients
			log.warn("History store failed: {}", ex.toString());
			response.onError(Status.UNAVAILABLE.withDescription(unavailable(ex)).withCause(ex).asRuntimeException());
			return;
		}
		catch (RuntimeException ex) {
			log.error("Unexpected failure", ex);
			response.onError(Status.INTERNAL.withDescription(ex.getClass().getSimpleName()).asRuntimeException());
			return;
		}
		response.onNext(result);
		response.onCompleted();
	}

	private static String unavailable(MongoException ex) {
		if (ex instanceof MongoExecutionTimeoutException || ex instanceof MongoSocketReadTimeoutException
				|| (ex instanceof MongoWriteConcernException concern
						&& concern.getWriteConcernError().getCode() == WRITE_CONCERN_TIMEOUT)
				|| (ex instanceof MongoBulkWriteException bulk && bulk.getWriteConcernError() != null
						&& bulk.getWriteConcernError().getCode() == WRITE_CONCERN_TIMEOUT)) {
			return "history store unavailable: no answer within the time limit";
		}
		if (ex instanceof MongoTimeoutException || ex instanceof MongoSocketException) {
			return "history store unavailable: not reachable";
		}
		return "history store unavailable: " + ex.getClass().getSimpleName();
	}

	private static StatusRuntimeException invalid(String message) {
		return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
	}

}
