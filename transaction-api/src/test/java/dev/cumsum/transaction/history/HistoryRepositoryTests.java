package dev.cumsum.transaction.history;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.model.Filters;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.cumsum.transaction.TestMongo;
import dev.cumsum.transaction.TestRecords;
import dev.cumsum.transaction.v1.Record;
import org.bson.BsonArray;
import org.bson.BsonDocument;
import org.bson.BsonType;
import org.bson.BsonValue;
import org.bson.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.mongodb.core.MongoTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository through the real MongoDB driver: against mongo-java-server (in memory)
 * by default, or against a real MongoDB with {@code -Dmongodb.uri=mongodb://...}.
 */
class HistoryRepositoryTests {

	private static final Duration RETENTION = Duration.ofHours(36);

	private static final List<BsonDocument> createIndexes = new CopyOnWriteArrayList<>();

	private static final AtomicInteger collections = new AtomicInteger();

	private static MongoServer server;

	private static MongoClient client;

	private static String database;

	private String collection;

	private MongoTemplate template;

	private HistoryRepository repository;

	@BeforeAll
	static void connect() {
		String uri = TestMongo.externalUri();
		if (uri == null) {
			server = new MongoServer(new MemoryBackend());
			server.bind("127.0.0.1", 0);
			uri = "mongodb://127.0.0.1:" + server.getLocalAddress().getPort();
		}
		CommandListener listener = new CommandListener() {
			@Override
			public void commandStarted(CommandStartedEvent event) {
				if (event.getCommandName().equals("createIndexes")) {
					// the event's document is only valid during the callback
					createIndexes.add(BsonDocument.parse(event.getCommand().toJson()));
				}
			}
		};
		client = MongoClients.create(MongoClientSettings.builder()
			.applyConnectionString(new ConnectionString(uri))
			.applyToClusterSettings((cluster) -> cluster.serverSelectionTimeout(5, TimeUnit.SECONDS))
			.addCommandListener(listener)
			.build());
		database = TestMongo.uniqueDatabase("history_repository_tests");
	}

	@AfterAll
	static void disconnect() {
		if (client != null) {
			if (server == null) {
				// a real MongoDB keeps it; mongo-java-server is discarded whole (and
				// fails to drop the
				// TTL index it only pretended to create)
				client.getDatabase(database).drop();
			}
			client.close();
		}
		if (server != null) {
			server.shutdown();
		}
	}

	@BeforeEach
	void freshCollection() {
		this.collection = "transactions_" + collections.incrementAndGet();
		this.template = new MongoTemplate(client, database);
		this.repository = repository(RETENTION);
	}

	private HistoryRepository repository(Duration retention) {
		return new HistoryRepository(this.template,
				new HistoryProperties(this.collection, retention, "majority", true, Duration.ofSeconds(5),
						Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10)));
	}

	private long stored() {
		return client.getDatabase(database).getCollection(this.collection).countDocuments();
	}

	private long stored(String id) {
		return client.getDatabase(database).getCollection(this.collection).countDocuments(Filters.eq("_id", id));
	}

	/** Stores the records as the gRPC service does: translated to the store's type. */
	private BatchResult insert(List<Record> records) {
		return this.repository.insert(records.stream().map(HistoryRecord::from).toList());
	}

	/** The stored record, as the gRPC service answers it. */
	private Optional<Record> find(String id) {
		return this.repository.find(id).map(HistoryRecord::toProto);
	}

	private List<Document> indexes() {
		return this.template.getCollection(this.collection).listIndexes().into(new ArrayList<>());
	}

	private static Record doc(String id) {
		return TestRecords.record(id, Instant.now(), "pod-a", 1, 2, 3);
	}

	private static List<Record> docs(String... ids) {
		return java.util.Arrays.stream(ids).map(HistoryRepositoryTests::doc).toList();
	}

	@Test
	void insertsABatch() {
		BatchResult result = insert(docs("a", "b", "c"));

		assertThat(result).isEqualTo(new BatchResult(3, 0));
		assertThat(stored()).isEqualTo(3);
		assertThat(find("b")).hasValueSatisfying((b) -> assertThat(b.getPod()).isEqualTo("pod-a"));
	}

	@Test
	void emptyBatchWritesNothing() {
		assertThat(insert(List.of())).isEqualTo(new BatchResult(0, 0));
		assertThat(stored()).isZero();
	}

	@Test
	void reinsertedIdsAreAcknowledgedAsDuplicatesAndStoredOnce() {
		insert(docs("a", "b", "c"));

		BatchResult retry = insert(docs("a", "b", "c"));

		assertThat(retry).isEqualTo(new BatchResult(0, 3));
		assertThat(stored()).isEqualTo(3);
		assertThat(List.of("a", "b", "c")).allSatisfy((id) -> assertThat(stored(id)).isEqualTo(1));
	}

	@Test
	void duplicatesInsideOneBatchAreStoredOnce() {
		BatchResult result = insert(docs("a", "b", "a", "c", "b", "a"));

		assertThat(result).isEqualTo(new BatchResult(3, 3));
		assertThat(stored()).isEqualTo(3);
	}

	@Test
	void mixedNewAndStoredIdsInsertOnlyTheNewOnes() {
		insert(docs("a", "b"));

		// unordered: the stored ids before, between and after new ones do not stop the
		// batch
		BatchResult result = insert(docs("a", "c", "b", "d", "e"));

		assertThat(result).isEqualTo(new BatchResult(3, 2));
		assertThat(stored()).isEqualTo(5);
		assertThat(List.of("a", "b", "c", "d", "e")).allSatisfy((id) -> assertThat(stored(id)).isEqualTo(1));
	}

	private static Record doc(String id, String digest, long... input) {
		return TestRecords.withDigest(TestRecords.record(id, Instant.now(), "pod-a", input), digest);
	}

	@Test
	void aReusedIdWithAnotherInputIsAConflictAndTheStoredRecordIsUnchanged() {
		insert(List.of(doc("a", "digest-1", 1, 2), doc("b", "digest-2", 3)));
		Record storedA = find("a").orElseThrow();

		BatchResult result = insert(
				List.of(doc("a", "digest-other", 9, 9), doc("b", "digest-2", 3), doc("c", "digest-3", 4)));

		assertThat(result).isEqualTo(new BatchResult(1, 1, List.of("a")));
		assertThat(find("a")).hasValue(storedA);
		assertThat(storedA.getInput()).isEqualTo(TestRecords.ints(1, 2));
		assertThat(stored()).isEqualTo(3);
	}

	@Test
	void aConflictInsideOneBatchKeepsTheFirstRecord() {
		BatchResult result = insert(List.of(doc("a", "digest-1", 1), doc("a", "digest-1", 1), doc("a", "digest-2", 2)));

		assertThat(result).isEqualTo(new BatchResult(1, 1, List.of("a")));
		assertThat(find("a").orElseThrow().getInput()).isEqualTo(TestRecords.ints(1));
	}

	@Test
	void aMissingDigestOnEitherSideCountsAsTheSameRequest() {
		// stored before digests existed, then retried by a client that sends one; and the
		// reverse
		insert(List.of(doc("old"), doc("new", "digest-1", 1)));

		BatchResult result = insert(List.of(doc("old", "digest-2", 5), doc("new")));

		assertThat(result).isEqualTo(new BatchResult(0, 2, List.of()));
		assertThat(client.getDatabase(database).getCollection(this.collection).find(Filters.eq("_id", "old")).first())
			.doesNotContainKey(HistoryRecord.INPUT_DIGEST);
	}

	@Test
	void theDigestIsStoredAsBinaryAndReadBack() {
		Record record = TestRecords.withDigest(TestRecords.record("d", Instant.parse("2026-03-01T00:00:00Z"), "p", 1),
				"some-digest");
		insert(List.of(record));

		BsonDocument raw = client.getDatabase(database)
			.getCollection(this.collection, BsonDocument.class)
			.find(Filters.eq("_id", "d"))
			.first();
		assertThat(raw.get("input_digest").getBsonType()).isEqualTo(BsonType.BINARY);
		assertThat(find("d")).hasValue(record);
	}

	@Test
	void exactValuesRoundTrip() {
		Instant at = Instant.parse("2026-03-01T12:34:56.789Z");
		Record limits = TestRecords.int64Limits("limits", at);
		Record decimals = TestRecords.extremes("decimals", at);
		Record empty = TestRecords.record("empty", at, "pod-a");
		insert(List.of(limits, decimals, empty));

		assertThat(find("limits")).hasValue(limits);
		assertThat(find("decimals")).hasValue(decimals);
		assertThat(find("empty")).hasValue(empty);
		assertThat(find("absent")).isEmpty();

		// stored as BSON int64 and as exact strings, never as doubles
		BsonDocument raw = client.getDatabase(database)
			.getCollection(this.collection, BsonDocument.class)
			.find(Filters.eq("_id", "limits"))
			.first();
		assertThat(raw.getArray("input").getValues()).extracting(BsonValue::getBsonType).containsOnly(BsonType.INT64);
		assertThat(raw.getArray("input").get(0).asInt64().getValue()).isEqualTo(Long.MIN_VALUE);
		assertThat(raw.getArray("input").get(1).asInt64().getValue()).isEqualTo(Long.MAX_VALUE);
		assertThat(raw.get("received_at").getBsonType()).isEqualTo(BsonType.DATE_TIME);
		BsonArray stored = client.getDatabase(database)
			.getCollection(this.collection, BsonDocument.class)
			.find(Filters.eq("_id", "decimals"))
			.first()
			.getArray("output");
		assertThat(stored.getValues()).extracting((v) -> v.asString().getValue())
			.containsExactly("9223372036854775807", "9223372036854775808", "9223372036854775808.3", "1E+400", "1E+400");
	}

	@Test
	void aDocumentStoredBeforeReadsBackAndItsSchemaIsUnchanged() {
		// as earlier versions wrote it: int32 length, int64 values, no input_digest
		Document old = Document.parse("""
				{_id: "old", received_at: {$date: "2026-03-01T12:34:56.789Z"}, mode: "man",
				 input: [{$numberLong: "1"}, {$numberLong: "2"}], output: [{$numberLong: "1"}, {$numberLong: "3"}],
				 length: 2, compute_ns: {$numberLong: "1234"}, pod: "pod-a",
				 trace_id: "4bf92f3577b34da6a3ce929d0e0e4736"}""");
		client.getDatabase(database).getCollection(this.collection).insertOne(old);

		Record read = find("old").orElseThrow();
		assertThat(read).isEqualTo(TestRecords.record("old", Instant.parse("2026-03-01T12:34:56.789Z"), "pod-a", 1, 2));
		// written again (as another id), the document is the same, field by field and
		// type by type
		insert(List.of(read.toBuilder().setRequestId("again").build()));
		BsonDocument again = client.getDatabase(database)
			.getCollection(this.collection, BsonDocument.class)
			.find(Filters.eq("_id", "again"))
			.first();
		BsonDocument expected = old.toBsonDocument();
		expected.put("_id", new org.bson.BsonString("again"));
		assertThat(again).isEqualTo(expected);
		assertThat(again.keySet()).containsExactlyElementsOf(expected.keySet());
	}

	@Test
	void pagesNewestFirstWithoutSkippingOrRepeatingAcrossEqualTimes() {
		Instant base = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		List<Record> records = new ArrayList<>();
		// 23 records on 4 distinct instants: every page boundary falls inside a group of
		// equal times
		IntStream.range(0, 23)
			.forEach((i) -> records.add(TestRecords.record("r%02d".formatted((i * 7) % 23),
					base.minusMillis(1000L * (i % 4)), "pod-" + (i % 2), i)));
		insert(records);
		List<Record> expected = records.stream()
			.sorted(Comparator.comparing((Record r) -> TestRecords.instant(r.getReceivedAt()))
				.thenComparing(Record::getRequestId)
				.reversed())
			.toList();

		List<String> seen = new ArrayList<>();
		PageToken token = null;
		int pages = 0;
		do {
			Page page = this.repository.page(5, token);
			pages++;
			assertThat(page.records()).hasSizeLessThanOrEqualTo(5);
			assertThat(page.records()).map(HistoryRecord::toProto).allSatisfy((r) -> {
				assertThat(r.hasInput()).isFalse();
				assertThat(r.hasOutput()).isFalse();
				assertThat(r.getLength()).isEqualTo(1);
			});
			page.records().forEach((r) -> seen.add(r.requestId()));
			// the token goes through its wire form, as the gRPC service hands it out
			token = (page.next() != null) ? PageToken.decode(page.next().encode()) : null;
		}
		while (token != null && pages < 20);

		assertThat(pages).isEqualTo(5);
		assertThat(seen).doesNotHaveDuplicates()
			.containsExactlyElementsOf(expected.stream().map(Record::getRequestId).toList());
	}

	@Test
	void lastPageExactlyFullHasNoToken() {
		insert(docs("a", "b", "c", "d"));

		Page first = this.repository.page(2, null);
		Page second = this.repository.page(2, first.next());

		assertThat(first.next()).isNotNull();
		assertThat(second.records()).hasSize(2);
		assertThat(second.next()).isNull();
		assertThat(this.repository.page(10, null).next()).isNull();
	}

	@Test
	void statsCountFirstLastAndPerPod() {
		HistoryStats empty = this.repository.stats();
		assertThat(empty.count()).isZero();
		assertThat(empty.first()).isNull();
		assertThat(empty.last()).isNull();
		assertThat(empty.countByPod()).isEmpty();

		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		Instant first = now.minus(Duration.ofHours(2));
		Instant last = now.plus(Duration.ofMinutes(5));
		insert(List.of(TestRecords.record("1", now, "pod-a", 1), TestRecords.record("2", last, "pod-b", 1),
				TestRecords.record("3", now, "pod-a", 1), TestRecords.record("4", first, "pod-a", 1),
				TestRecords.record("5", now, "pod-b", 1)));

		HistoryStats stats = this.repository.stats();
		assertThat(stats.count()).isEqualTo(5);
		assertThat(stats.first()).isEqualTo(Date.from(first));
		assertThat(stats.last()).isEqualTo(Date.from(last));
		assertThat(stats.countByPod()).isEqualTo(Map.of("pod-a", 3L, "pod-b", 2L));
		assertThat(this.repository.estimatedCount()).isEqualTo(5);
	}

	@Test
	void ensureIndexesCreatesPagingPodAndTtlIndexesAndIsSafeToRepeat() {
		insert(docs("a"));
		createIndexes.clear();

		this.repository.ensureIndexes();
		this.repository.ensureIndexes();

		List<BsonDocument> specs = createIndexes.stream()
			.filter((command) -> command.getString("createIndexes").getValue().equals(this.collection))
			.flatMap((command) -> command.getArray("indexes").stream().map(BsonValue::asDocument))
			.toList();
		// each run issues all three
		assertThat(specs).hasSize(6);
		assertThat(specs).filteredOn((spec) -> spec.getString("name").getValue().equals("received_at_ttl"))
			.hasSize(2)
			.allSatisfy((spec) -> {
				assertThat(spec.getDocument("key")).isEqualTo(BsonDocument.parse("{received_at: 1}"));
				assertThat(spec.getNumber("expireAfterSeconds").longValue()).isEqualTo(RETENTION.toSeconds());
			});
		assertThat(specs).filteredOn((spec) -> spec.getString("name").getValue().equals("received_at_id"))
			.hasSize(2)
			.allSatisfy((spec) -> assertThat(spec.getDocument("key"))
				.isEqualTo(BsonDocument.parse("{received_at: -1, _id: -1}")));
		assertThat(specs).filteredOn((spec) -> spec.getString("name").getValue().equals("pod_received_at"))
			.hasSize(2)
			.allSatisfy((spec) -> assertThat(spec.getDocument("key"))
				.isEqualTo(BsonDocument.parse("{pod: 1, received_at: -1}")));
		// key order matters for a compound index: compare it, not only the content
		assertThat(specs.get(0).getDocument("key").keySet()).containsExactly("received_at", "_id");

		if (TestMongo.externalUri() != null) {
			// mongo-java-server ignores secondary and TTL indexes; a real MongoDB must
			// list them
			assertThat(ttlSeconds()).isEqualTo(RETENTION.toSeconds());
			Set<String> names = new HashSet<>();
			indexes().forEach((index) -> names.add(index.getString("name")));
			assertThat(names).contains("_id_", "received_at_id", "pod_received_at", "received_at_ttl");
		}
		assertThat(stored()).isEqualTo(1);
	}

	@Test
	void changedRetentionUpdatesTheTtlIndex() {
		this.repository.ensureIndexes();
		Duration shorter = Duration.ofDays(2);
		createIndexes.clear();

		repository(shorter).ensureIndexes();

		assertThat(createIndexes).flatMap((command) -> command.getArray("indexes").getValues())
			.map(BsonValue::asDocument)
			.filteredOn((spec) -> spec.getString("name").getValue().equals("received_at_ttl"))
			.singleElement()
			.satisfies((spec) -> assertThat(spec.getNumber("expireAfterSeconds").longValue())
				.isEqualTo(shorter.toSeconds()));
		if (TestMongo.externalUri() != null) {
			assertThat(ttlSeconds()).isEqualTo(shorter.toSeconds());
		}
	}

	private long ttlSeconds() {
		return indexes().stream()
			.filter((index) -> index.getString("name").equals(HistoryRepository.TTL_INDEX))
			.findFirst()
			.map((index) -> index.get("expireAfterSeconds", Number.class).longValue())
			.orElseThrow();
	}

}
