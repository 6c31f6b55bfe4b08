package dev.cumsum.transaction.training;

import java.util.concurrent.TimeUnit;

import dev.cumsum.support.training.TrainingTraffic;
import dev.cumsum.transaction.TestClients;
import dev.cumsum.transaction.StoreBacked;
import dev.cumsum.transaction.v1.GetStatsRequest;
import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcServerPort;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AOT cache's training traffic against the running service and its store (local
 * mode).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.grpc.server.port=0", "management.server.port=0" })
@DirtiesContext
class HistoryTrainingTrafficTests extends StoreBacked {

	@Autowired
	private TrainingTraffic traffic;

	@LocalGrpcServerPort
	private int grpcPort;

	@Test
	void storesEveryRecordItSendsAndChecksTheAnswers() throws Exception {
		long before = storedRecords();

		this.traffic.send(205);

		assertThat(storedRecords() - before).isEqualTo(205);
	}

	private long storedRecords() throws InterruptedException {
		ManagedChannel channel = TestClients.channel(this.grpcPort);
		try {
			return TransactionServiceGrpc.newBlockingStub(channel)
				.withDeadlineAfter(10, TimeUnit.SECONDS)
				.getStats(GetStatsRequest.getDefaultInstance())
				.getCount();
		}
		finally {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
	}

}
