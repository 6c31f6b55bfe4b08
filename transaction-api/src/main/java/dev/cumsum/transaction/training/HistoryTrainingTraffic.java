package dev.cumsum.transaction.training;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Timestamp;
import dev.cumsum.support.training.TrainingTraffic;
import dev.cumsum.transaction.v1.DecimalList;
import dev.cumsum.transaction.v1.GetRecordRequest;
import dev.cumsum.transaction.v1.GetStatsRequest;
import dev.cumsum.transaction.v1.Int64List;
import dev.cumsum.transaction.v1.ListRecordsRequest;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.RecordBatchRequest;
import dev.cumsum.transaction.v1.RecordBatchResponse;
import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import dev.cumsum.transaction.v1.TransactionServiceGrpc.TransactionServiceBlockingStub;
import dev.cumsum.transaction.v1.Values;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;

import org.springframework.context.event.EventListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;
import org.springframework.stereotype.Component;

/**
 * Training traffic for the image's JDK AOT cache: RecordBatch calls as cumsum-api makes
 * them (batches of 10 records, integers and decimals, a repeated batch to hit the
 * duplicate path), plus reads, over gRPC on the service's own port into the store the
 * training run uses. Each answer is checked.
 */
@Component
class HistoryTrainingTraffic implements TrainingTraffic {

	private static final int BATCH = 10;

	private volatile int port;

	@EventListener
	void grpcServerStarted(GrpcServerStartedEvent event) {
		this.port = event.getPort();
	}

	/**
	 * @param requests records to store
	 */
	@Override
	public void send(int requests) throws Exception {
		if (this.port <= 0) {
			throw new IllegalStateException("the gRPC server has not started");
		}
		ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", this.port).usePlaintext().build();
		try {
			TransactionServiceBlockingStub history = TransactionServiceGrpc.newBlockingStub(channel);
			String run = "training-" + UUID.randomUUID() + "-";
			for (int sent = 0; sent < requests; sent += BATCH) {
				RecordBatchRequest.Builder batch = RecordBatchRequest.newBuilder();
				for (int i = sent; i < Math.min(sent + BATCH, requests); i++) {
					batch.addRecords(record(run + i, i));
				}
				RecordBatchRequest request = batch.build();
				expect(deadline(history).recordBatch(request).getInserted() == request.getRecordsCount(),
						"RecordBatch did not insert every record");
				if (sent % (BATCH * 20) == 0) {
					RecordBatchResponse again = deadline(history).recordBatch(request);
					expect(again.getDuplicates() == request.getRecordsCount(),
							"a repeated batch was not all duplicates");
					String id = request.getRecords(0).getRequestId();
					expect(deadline(history).getRecord(GetRecordRequest.newBuilder().setRequestId(id).build())
						.getRequestId()
						.equals(id), "GetRecord did not return " + id);
					deadline(history).listRecords(ListRecordsRequest.newBuilder().setPageSize(20).build());
					deadline(history).getStats(GetStatsRequest.getDefaultInstance());
				}
			}
		}
		finally {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

	private static TransactionServiceBlockingStub deadline(TransactionServiceBlockingStub history) {
		return history.withDeadlineAfter(10, TimeUnit.SECONDS);
	}

	private static void expect(boolean condition, String failure) {
		if (!condition) {
			throw new IllegalStateException(failure);
		}
	}

	/**
	 * Every fifth record holds decimals, the rest small integers and their cumulative
	 * sum.
	 */
	private static Record record(String id, int n) {
		Instant now = Instant.now();
		Record.Builder record = Record.newBuilder()
			.setRequestId(id)
			.setReceivedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
			.setMode((n % 2 == 0) ? "man" : "np")
			.setComputeNs(1_000)
			.setPod("training")
			.setTraceId("");
		if (n % 5 == 0) {
			return record.setInput(decimals("0.5", "9223372036854775807"))
				.setOutput(decimals("0.5", "9223372036854775807.5"))
				.setLength(2)
				.build();
		}
		Int64List.Builder input = Int64List.newBuilder();
		Int64List.Builder output = Int64List.newBuilder();
		long sum = 0;
		for (int i = 1; i <= 10; i++) {
			sum += i;
			input.addValues(i);
			output.addValues(sum);
		}
		return record.setInput(Values.newBuilder().setInts(input))
			.setOutput(Values.newBuilder().setInts(output))
			.setLength(10)
			.build();
	}

	private static Values decimals(String... values) {
		return Values.newBuilder().setDecimals(DecimalList.newBuilder().addAllValues(List.of(values))).build();
	}

}
