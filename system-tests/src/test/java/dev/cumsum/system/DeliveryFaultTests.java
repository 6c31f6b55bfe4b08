package dev.cumsum.system;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Projections;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults under concurrent load, loopback only and bounded. The test plays MongoDB (as in
 * a cluster, the store outlives transaction-api), so every claim the API made can be
 * checked in the store.
 */
class DeliveryFaultTests {

	static MongoServer mongo;

	static String mongoUri;

	static MongoClient verifier;

	@BeforeAll
	static void startMongo() {
		mongo = new MongoServer(new MemoryBackend());
		mongo.bind("127.0.0.1", ServiceProcess.freePort());
		InetSocketAddress address = mongo.getLocalAddress();
		mongoUri = "mongodb://127.0.0.1:" + address.getPort();
		verifier = MongoClients.create(mongoUri);
	}

	@AfterAll
	static void stopMongo() {
		verifier.close();
		mongo.shutdownNow();
	}

	@Test
	void strictModeNeverClaimsARecordItLostWhenTransactionApiIsKilled() throws Exception {
		try (LocalStack stack = LocalStack.start(mongoUri, null, List.of(), "strict",
				List.of("--cumsum.delivery.timeout=1s"))) {
			ServiceProcess transactions = stack.transactions;
			LoadRun load = new LoadRun(stack.client, "strict", 8, 50_000, Duration.ofSeconds(120)).start();

			Thread.sleep(3000);
			int beforeKill = load.acknowledged.size();
			transactions.kill();
			Thread.sleep(3000);
			int duringOutage503 = load.count(503);
			transactions.start().awaitReady(LocalStack.READY);
			int afterRestart = load.acknowledged.size();
			awaitMoreAcknowledged(load, afterRestart + 50, Duration.ofSeconds(60));
			load.stopAndJoin();

			assertThat(beforeKill).as("requests acknowledged before the kill").isPositive();
			assertThat(duringOutage503).as("503 answers while transaction-api was down").isPositive();
			assertThat(load.statuses.keySet()).as("only 200 and 503, never another status").containsOnly(200, 503);
			assertThat(load.errors.get()).as("connection failures to the API").isZero();
			assertThat(stack.api.isAlive()).isTrue();
			assertEveryAcknowledgedIdStoredOnce(load.acknowledged, "strict-");
		}
	}

	@Test
	void asyncModeLosesNothingAcrossGracefulRestarts() throws Exception {
		try (LocalStack stack = LocalStack.start(mongoUri, null, List.of(), "async",
				List.of("--cumsum.delivery.drain-timeout=60s"))) {
			ServiceProcess transactions = stack.transactions;
			ServiceProcess api = stack.api;
			LoadRun load = new LoadRun(stack.client, "async", 8, 50_000, Duration.ofSeconds(120)).start();

			Thread.sleep(3000);
			assertThat(transactions.terminate(Duration.ofSeconds(30))).isIn(0, 143);
			Thread.sleep(2000);
			transactions.start().awaitReady(LocalStack.READY);
			Thread.sleep(2000);
			load.stopAndJoin();

			// graceful shutdown of the API drains its buffer before the process exits
			assertThat(api.terminate(Duration.ofSeconds(90))).isIn(0, 143);
			assertThat(api.output()).doesNotContain("LOST");
			assertThat(load.statuses.keySet()).as("async answers 200 (or 503 only when the buffer is full)")
				.isSubsetOf(200, 503);
			assertThat(load.errors.get()).isZero();
			assertThat(load.acknowledged).isNotEmpty();
			assertEveryAcknowledgedIdStoredOnce(load.acknowledged, "async-");
		}
	}

	private static void awaitMoreAcknowledged(LoadRun load, int target, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (load.acknowledged.size() < target && System.nanoTime() < deadline) {
			Thread.sleep(200);
		}
		assertThat(load.acknowledged.size()).as("200 answers resume after the restart").isGreaterThanOrEqualTo(target);
	}

	private static void assertEveryAcknowledgedIdStoredOnce(Set<String> acknowledged, String prefix) {
		MongoCollection<Document> history = verifier.getDatabase("cumsum").getCollection("transactions");
		List<String> stored = new ArrayList<>();
		for (Document doc : history.find(Filters.regex("_id", "^" + prefix)).projection(Projections.include("_id"))) {
			stored.add(doc.getString("_id"));
		}
		Set<String> distinct = new HashSet<>(stored);
		assertThat(distinct).as("ids stored more than once").hasSameSizeAs(stored);
		assertThat(distinct).as("acknowledged ids missing from MongoDB").containsAll(acknowledged);
	}

}
