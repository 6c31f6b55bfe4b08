package dev.cumsum.transaction.mongo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.cumsum.transaction.TestClients;
import dev.cumsum.transaction.TransactionApiApplication;
import dev.cumsum.transaction.v1.RecordBatchRequest;
import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import io.grpc.ManagedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.cumsum.transaction.TestRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The database comes from the URI's path (the chart's mongodb.database), not from a
 * default that overrides it.
 */
class MongoDatabaseDefaultTests {

	private MongoServer mongo;

	private String address;

	@BeforeEach
	void startMongo() {
		this.mongo = new MongoServer(new MemoryBackend());
		this.mongo.bind("127.0.0.1", 0);
		this.address = "127.0.0.1:" + this.mongo.getLocalAddress().getPort();
	}

	@AfterEach
	void stopMongo() {
		this.mongo.shutdownNow();
	}

	@Test
	void theUriPathNamesTheDatabaseTheHistoryIsWrittenTo() throws Exception {
		assertThat(databasesAfterOneWrite("mongodb://" + this.address + "/fromchart")).contains("fromchart")
			.doesNotContain(MongoDatabaseDefault.DEFAULT_DATABASE);
	}

	@Test
	void aUriWithoutAPathUsesTheDefaultDatabase() throws Exception {
		assertThat(databasesAfterOneWrite("mongodb://" + this.address + "/?serverSelectionTimeoutMS=3000"))
			.contains(MongoDatabaseDefault.DEFAULT_DATABASE);
	}

	@Test
	void anExplicitPropertyStillOverridesTheUri() throws Exception {
		assertThat(
				databasesAfterOneWrite("mongodb://" + this.address + "/fromuri", "--spring.mongodb.database=explicit"))
			.contains("explicit")
			.doesNotContain("fromuri");
	}

	/**
	 * Starts the service on {@code uri}, stores one record through gRPC and lists the
	 * databases that hold data.
	 */
	private List<String> databasesAfterOneWrite(String uri, String... more) throws Exception {
		List<String> args = new ArrayList<>(List.of("--spring.mongodb.uri=" + uri, "--spring.grpc.server.port=0",
				"--server.port=0", "--management.server.port=0"));
		args.addAll(List.of(more));
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(TransactionApiApplication.class)
			.run(args.toArray(String[]::new))) {
			int grpcPort = app.getEnvironment().getRequiredProperty("local.grpc.server.port", Integer.class);
			ManagedChannel channel = TestClients.channel(grpcPort);
			try {
				var history = TransactionServiceGrpc.newBlockingStub(channel);
				RecordBatchRequest batch = RecordBatchRequest.newBuilder()
					.addRecords(record("db-choice", Instant.now(), "pod-db", 1, 2))
					.build();
				assertThat(history.withDeadlineAfter(10, TimeUnit.SECONDS).recordBatch(batch).getInserted())
					.isEqualTo(1);
			}
			finally {
				channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
			}
		}
		try (MongoClient client = MongoClients.create("mongodb://" + this.address)) {
			return client.listDatabaseNames()
				.into(new ArrayList<>())
				.stream()
				.filter((name) -> client.getDatabase(name).getCollection("transactions").countDocuments() > 0)
				.toList();
		}
	}

}
