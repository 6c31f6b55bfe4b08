package dev.cumsum.transaction.history;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.cumsum.transaction.history.HistoryErrors.InvalidRecordException;
import dev.cumsum.transaction.history.HistoryErrors.RecordNotFoundException;
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
import io.grpc.stub.StreamObserver;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * The gRPC face of the history: checks requests, delegates to the store and the totals'
 * cache, answers. Failures are thrown and become statuses in {@link HistoryErrors}.
 */
@Service
class TransactionGrpcService extends TransactionServiceGrpc.TransactionServiceImplBase {

	private static final Logger log = LoggerFactory.getLogger(TransactionGrpcService.class);

	static final int MAX_REQUEST_ID_LENGTH = 128;

	static final int DEFAULT_PAGE_SIZE = 20;

	static final int MAX_PAGE_SIZE = 100;

	/**
	 * Left of a call's deadline for the answer to travel back after waiting for the
	 * totals.
	 */
	private static final Duration ANSWER_MARGIN = Duration.ofMillis(200);

	private final HistoryStore store;

	private final HistoryStatsCache stats;

	private final HistoryMetrics metrics;

	private final Duration queryTimeout;

	private final Tracer tracer;

	TransactionGrpcService(HistoryStore store, HistoryStatsCache stats, HistoryMetrics metrics,
			HistoryProperties properties, ObjectProvider<Tracer> tracer) {
		this.store = store;
		this.stats = stats;
		this.metrics = metrics;
		this.queryTimeout = properties.queryTimeout();
		this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
	}

	@Override
	public void recordBatch(RecordBatchRequest request, StreamObserver<RecordBatchResponse> response) {
		request.getRecordsList().forEach(TransactionGrpcService::validate);
		long start = System.nanoTime();
		// the write as a child of the gRPC server span: the last hop of each request's
		// trace
		Span span = this.tracer.nextSpan()
			.name("mongodb insertMany")
			.tag("db.system", "mongodb")
			.tag("db.operation", "insertMany")
			.tag("cumsum.records", request.getRecordsCount())
			.start();
		BatchResult result;
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			result = this.store.insert(request.getRecordsList());
		}
		catch (RuntimeException ex) {
			if (!(ex instanceof InvalidRecordException)) {
				this.metrics.failed(request.getRecordsCount(), System.nanoTime() - start);
			}
			span.error(ex);
			throw ex;
		}
		finally {
			span.end();
		}
		this.metrics.written(result, System.nanoTime() - start);
		if (result.inserted() > 0) {
			this.stats.written();
		}
		if (!result.conflicts().isEmpty()) {
			// ids only: the values of either request are never logged
			log.info("Request ids reused with another input (not stored): {}", result.conflicts());
		}
		answer(response,
				RecordBatchResponse.newBuilder()
					.setInserted(result.inserted())
					.setDuplicates(result.duplicates())
					.addAllConflictingRequestIds(result.conflicts())
					.build());
	}

	private static void validate(Record record) {
		String id = record.getRequestId();
		if (id.isEmpty() || id.length() > MAX_REQUEST_ID_LENGTH) {
			throw new InvalidRecordException("request_id must be 1.." + MAX_REQUEST_ID_LENGTH + " characters");
		}
		if (!record.hasReceivedAt()) {
			throw new InvalidRecordException("received_at is required (record " + id + ")");
		}
	}

	@Override
	public void getRecord(GetRecordRequest request, StreamObserver<Record> response) {
		answer(response, this.store.find(request.getRequestId())
			.orElseThrow(() -> new RecordNotFoundException(request.getRequestId())));
	}

	@Override
	public void listRecords(ListRecordsRequest request, StreamObserver<ListRecordsResponse> response) {
		int size = request.getPageSize();
		if (size < 0 || size > MAX_PAGE_SIZE) {
			throw new InvalidRecordException(
					"page_size must be 0.." + MAX_PAGE_SIZE + " (0 means " + DEFAULT_PAGE_SIZE + ")");
		}
		PageToken after = null;
		if (!request.getPageToken().isEmpty()) {
			try {
				after = PageToken.decode(request.getPageToken());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidRecordException(ex.getMessage());
			}
		}
		Page page = this.store.page((size == 0) ? DEFAULT_PAGE_SIZE : size, after);
		ListRecordsResponse.Builder builder = ListRecordsResponse.newBuilder().addAllRecords(page.records());
		if (page.next() != null) {
			builder.setNextPageToken(page.next().encode());
		}
		answer(response, builder.build());
	}

	@Override
	public void getStats(GetStatsRequest request, StreamObserver<Stats> response) {
		HistoryStats stats = this.stats.get(budget());
		Stats.Builder builder = Stats.newBuilder().setCount(stats.count()).putAllCountByPod(stats.countByPod());
		if (stats.first() != null) {
			builder.setFirstReceivedAt(RecordDocuments.toTimestamp(stats.first()))
				.setLastReceivedAt(RecordDocuments.toTimestamp(stats.last()));
		}
		answer(response, builder.build());
	}

	/**
	 * How long a call may wait for the totals: the query timeout, or less when its
	 * deadline is nearer.
	 */
	private Duration budget() {
		Deadline deadline = Context.current().getDeadline();
		if (deadline == null) {
			return this.queryTimeout;
		}
		long left = deadline.timeRemaining(TimeUnit.NANOSECONDS) - ANSWER_MARGIN.toNanos();
		return Duration.ofNanos(Math.max(0, Math.min(left, this.queryTimeout.toNanos())));
	}

	private static <T> void answer(StreamObserver<T> response, T value) {
		response.onNext(value);
		response.onCompleted();
	}

}
