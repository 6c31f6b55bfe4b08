package dev.cumsum.transaction.history;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

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

import org.springframework.stereotype.Service;

/**
 * The gRPC face of the {@link History}: messages in, domain calls, messages out. Failures
 * are thrown and become statuses in {@link HistoryErrors}.
 */
@Service
class TransactionGrpcService extends TransactionServiceGrpc.TransactionServiceImplBase {

	private final History history;

	TransactionGrpcService(History history) {
		this.history = history;
	}

	@Override
	public void recordBatch(RecordBatchRequest request, StreamObserver<RecordBatchResponse> response) {
		BatchResult result = this.history.record(request.getRecordsList().stream().map(HistoryRecord::from).toList());
		answer(response,
				RecordBatchResponse.newBuilder()
					.setInserted(result.inserted())
					.setDuplicates(result.duplicates())
					.addAllConflictingRequestIds(result.conflicts())
					.build());
	}

	@Override
	public void getRecord(GetRecordRequest request, StreamObserver<Record> response) {
		answer(response, this.history.find(request.getRequestId()).toProto());
	}

	@Override
	public void listRecords(ListRecordsRequest request, StreamObserver<ListRecordsResponse> response) {
		Page page = this.history.page(request.getPageSize(), request.getPageToken());
		ListRecordsResponse.Builder builder = ListRecordsResponse.newBuilder();
		page.records().forEach((record) -> builder.addRecords(record.toProto()));
		if (page.next() != null) {
			builder.setNextPageToken(page.next().encode());
		}
		answer(response, builder.build());
	}

	@Override
	public void getStats(GetStatsRequest request, StreamObserver<Stats> response) {
		Deadline deadline = Context.current().getDeadline();
		HistoryStats stats = this.history
			.stats((deadline != null) ? Duration.ofNanos(deadline.timeRemaining(TimeUnit.NANOSECONDS)) : null);
		Stats.Builder builder = Stats.newBuilder().setCount(stats.count()).putAllCountByPod(stats.countByPod());
		if (stats.first() != null) {
			builder.setFirstReceivedAt(HistoryRecord.timestamp(stats.first().toInstant()))
				.setLastReceivedAt(HistoryRecord.timestamp(stats.last().toInstant()));
		}
		answer(response, builder.build());
	}

	private static <T> void answer(StreamObserver<T> response, T value) {
		response.onNext(value);
		response.onCompleted();
	}

}
