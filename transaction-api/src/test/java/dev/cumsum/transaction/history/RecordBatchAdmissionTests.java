package dev.cumsum.transaction.history;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cumsum.transaction.TestClients;
import dev.cumsum.transaction.v1.GetStatsRequest;
import dev.cumsum.transaction.v1.RecordBatchRequest;
import dev.cumsum.transaction.v1.RecordBatchResponse;
import dev.cumsum.transaction.v1.Stats;
import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import dev.cumsum.transaction.v1.TransactionServiceGrpc.TransactionServiceBlockingStub;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The admission of RecordBatch calls, over a real gRPC channel to a Netty server whose
 * RecordBatch holds until released and records how many run at once.
 */
class RecordBatchAdmissionTests {

	private final AtomicInteger running = new AtomicInteger();

	private final AtomicInteger mostAtOnce = new AtomicInteger();

	private final AtomicInteger started = new AtomicInteger();

	private volatile CountDownLatch release = new CountDownLatch(1);

	private final RecordBatchAdmission admission = new RecordBatchAdmission(new BatchProperties(2));

	private Server server;

	private ManagedChannel channel;

	@BeforeEach
	void start() throws IOException {
		TransactionServiceGrpc.TransactionServiceImplBase service = new TransactionServiceGrpc.TransactionServiceImplBase() {

			@Override
			public void recordBatch(RecordBatchRequest request, StreamObserver<RecordBatchResponse> response) {
				int now = RecordBatchAdmissionTests.this.running.incrementAndGet();
				RecordBatchAdmissionTests.this.started.incrementAndGet();
				RecordBatchAdmissionTests.this.mostAtOnce.accumulateAndGet(now, Math::max);
				try {
					RecordBatchAdmissionTests.this.release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				RecordBatchAdmissionTests.this.running.decrementAndGet();
				response.onNext(RecordBatchResponse.newBuilder().setInserted(request.getRecordsCount()).build());
				response.onCompleted();
			}

			@Override
			public void getStats(GetStatsRequest request, StreamObserver<Stats> response) {
				response.onNext(Stats.newBuilder().setCount(42).build());
				response.onCompleted();
			}

		};
		this.server = NettyServerBuilder.forPort(0)
			.addService(ServerInterceptors.intercept(service, this.admission))
			.build()
			.start();
		this.channel = TestClients.channel(this.server.getPort());
	}

	@AfterEach
	void stop() throws InterruptedException {
		this.release.countDown();
		this.channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
	}

	private CompletableFuture<RecordBatchResponse> recordBatch(Duration deadline) {
		TransactionServiceBlockingStub stub = TransactionServiceGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
		return CompletableFuture.supplyAsync(() -> stub.recordBatch(RecordBatchRequest.getDefaultInstance()),
				(task) -> Thread.ofVirtual().start(task));
	}

	@Test
	void atMostTheConfiguredNumberOfBatchesRunAndTheOthersWaitTheirTurn() throws Exception {
		List<CompletableFuture<RecordBatchResponse>> calls = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			calls.add(recordBatch(Duration.ofSeconds(30)));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> this.admission.waiting() == 4);
		assertThat(this.running).hasValue(2);
		// other methods are not held back
		assertThat(TransactionServiceGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(5, TimeUnit.SECONDS)
			.getStats(GetStatsRequest.getDefaultInstance())
			.getCount()).isEqualTo(42);

		this.release.countDown();

		for (CompletableFuture<RecordBatchResponse> call : calls) {
			call.get(20, TimeUnit.SECONDS);
		}
		assertThat(this.started).hasValue(6);
		assertThat(this.mostAtOnce).hasValue(2);
		assertThat(this.admission.waiting()).isZero();
	}

	@Test
	void aCallWhoseDeadlinePassesWhileWaitingLeavesNoTraceAndNeverRuns() throws Exception {
		CompletableFuture<RecordBatchResponse> first = recordBatch(Duration.ofSeconds(30));
		CompletableFuture<RecordBatchResponse> second = recordBatch(Duration.ofSeconds(30));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.running.get() == 2);

		CompletableFuture<RecordBatchResponse> late = recordBatch(Duration.ofMillis(500));
		assertThatExceptionOfType(java.util.concurrent.ExecutionException.class)
			.isThrownBy(() -> late.get(10, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(StatusRuntimeException.class,
					(ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
		await().atMost(Duration.ofSeconds(5)).until(() -> this.admission.waiting() == 0);

		this.release.countDown();
		first.get(10, TimeUnit.SECONDS);
		second.get(10, TimeUnit.SECONDS);
		assertThat(this.started).hasValue(2);
		// the slots are free again
		assertThat(recordBatch(Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS).getInserted()).isZero();
		assertThat(this.started).hasValue(3);
	}

}
