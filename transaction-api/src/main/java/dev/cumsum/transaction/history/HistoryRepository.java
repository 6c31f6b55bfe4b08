package dev.cumsum.transaction.history;

import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoCommandException;
import com.mongodb.bulk.BulkWriteError;
import com.mongodb.client.FindIterable;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Aggregates;
import com.mongodb.client.model.Accumulators;
import com.mongodb.client.model.CreateIndexOptions;
import com.mongodb.client.model.EstimatedDocumentCountOptions;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexModel;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Indexes;
import com.mongodb.client.model.InsertManyOptions;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.Sorts;
import org.bson.Document;
import org.bson.RawBsonDocument;
import org.bson.codecs.DocumentCodec;
import org.bson.conversions.Bson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.mongodb.core.MongoTemplate;
import org.springframework.stereotype.Repository;

import static dev.cumsum.transaction.history.HistoryRecord.ID;
import static dev.cumsum.transaction.history.HistoryRecord.POD;
import static dev.cumsum.transaction.history.HistoryRecord.RECEIVED_AT;

/**
 * The request history collection: idempotent batch inserts, lookups, pages and totals, of
 * {@link HistoryRecord}s (documents and BSON stay in here and there). Every operation is
 * bounded on the server: reads and index builds by {@code maxTimeMS}
 * ({@code query-timeout}; totals and indexes {@code stats-timeout}), the insert by the
 * write concern's {@code wtimeout} ({@code write-timeout}: the sync driver's insertMany
 * takes no {@code maxTimeMS}); the client's socket timeout bounds them all.
 */
@Repository
class HistoryRepository implements HistoryStore {

	private static final Logger log = LoggerFactory.getLogger(HistoryRepository.class);

	private static final int DUPLICATE_KEY = 11000;

	static final int MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

	private static final DocumentCodec DOCUMENT_CODEC = new DocumentCodec();

	static final String TTL_INDEX = "received_at_ttl";

	private static final Bson NEWEST_FIRST = Sorts.orderBy(Sorts.descending(RECEIVED_AT), Sorts.descending(ID));

	private final MongoTemplate mongo;

	private final HistoryProperties properties;

	private final MongoCollection<Document> writes;

	HistoryRepository(MongoTemplate mongo, HistoryProperties properties) {
		this.mongo = mongo;
		this.properties = properties;
		this.writes = collection().withWriteConcern(properties.mongoWriteConcern());
	}

	private MongoCollection<Document> collection() {
		return this.mongo.getCollection(this.properties.collection());
	}

	/**
	 * Stores the documents with one unordered insertMany. An id already stored is either
	 * a retry (same {@code input_digest}, or either side has none): a duplicate,
	 * acknowledged and not stored again; or a reused id with another input: a conflict,
	 * reported and not stored. The stored record is never changed. Any other failure
	 * propagates, and the whole batch may be retried because of the ids.
	 */
	@Override
	public BatchResult insert(List<HistoryRecord> records) {
		if (records.isEmpty()) {
			return new BatchResult(0, 0, List.of());
		}
		List<Document> documents = new ArrayList<>(records.size());
		for (HistoryRecord record : records) {
			Document document = record.toDocument();
			// rejected before anything is written: otherwise the unordered insert would
			// store part of the batch and every retry would fail the same way
			if (record.bsonBytesBound() > MAX_DOCUMENT_BYTES
					&& new RawBsonDocument(document, DOCUMENT_CODEC).getByteBuffer().remaining() > MAX_DOCUMENT_BYTES) {
				throw new HistoryErrors.InvalidRecordException(
						"record " + record.requestId() + " exceeds MongoDB's 16 MiB document limit");
			}
			documents.add(document);
		}
		try {
			this.writes.insertMany(documents, new InsertManyOptions().ordered(false));
			return new BatchResult(documents.size(), 0, List.of());
		}
		catch (MongoBulkWriteException ex) {
			List<BulkWriteError> errors = ex.getWriteErrors();
			boolean onlyDuplicates = ex.getWriteConcernError() == null
					&& errors.stream().allMatch((error) -> error.getCode() == DUPLICATE_KEY);
			if (!onlyDuplicates) {
				throw ex;
			}
			List<HistoryRecord> rejected = errors.stream().map((error) -> records.get(error.getIndex())).toList();
			List<String> conflicts = conflicts(rejected);
			return new BatchResult(documents.size() - errors.size(), errors.size() - conflicts.size(), conflicts);
		}
	}

	/**
	 * The ids among {@code rejected} (duplicate keys) whose stored record has another
	 * input digest.
	 */
	private List<String> conflicts(List<HistoryRecord> rejected) {
		List<String> ids = rejected.stream().map(HistoryRecord::requestId).distinct().toList();
		Map<Object, ByteString> stored = new HashMap<>();
		for (Document document : read(
				collection().find(Filters.in(ID, ids)).projection(Projections.include(HistoryRecord.INPUT_DIGEST)))) {
			stored.put(document.get(ID), HistoryRecord.inputDigest(document));
		}
		List<String> conflicts = new ArrayList<>();
		for (HistoryRecord record : rejected) {
			ByteString mine = record.inputDigest();
			ByteString theirs = stored.getOrDefault(record.requestId(), ByteString.EMPTY);
			// no digest on either side (stored before digests, an older client): a retry
			if (!mine.isEmpty() && !theirs.isEmpty() && !mine.equals(theirs)) {
				conflicts.add(record.requestId());
			}
		}
		return conflicts;
	}

	@Override
	public Optional<HistoryRecord> find(String requestId) {
		return Optional.ofNullable(read(collection().find(Filters.eq(ID, requestId))).first()).map(HistoryRecord::of);
	}

	private <T> FindIterable<T> read(FindIterable<T> find) {
		return find.maxTime(this.properties.queryTimeout().toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Newest first, without the value arrays (a page must stay small whatever the inputs
	 * were).
	 */
	@Override
	public Page page(int size, PageToken after) {
		Bson filter = (after != null)
				? Filters.or(Filters.lt(RECEIVED_AT, new Date(after.receivedAtMillis())), Filters.and(
						Filters.eq(RECEIVED_AT, new Date(after.receivedAtMillis())), Filters.lt(ID, after.requestId())))
				: Filters.empty();
		List<Document> found = read(collection().find(filter))
			.projection(Projections.exclude(HistoryRecord.INPUT, HistoryRecord.OUTPUT))
			.sort(NEWEST_FIRST)
			.limit(size + 1)
			.into(new ArrayList<>());
		PageToken next = null;
		if (found.size() > size) {
			found = found.subList(0, size);
			next = PageToken.after(found.getLast().getDate(RECEIVED_AT), found.getLast().getString(ID));
		}
		return new Page(found.stream().map(HistoryRecord::of).toList(), next);
	}

	/**
	 * Totals over the whole collection: a full scan on MongoDB without a covering plan
	 * and always on mongo-java-server, so callers read them through
	 * {@link HistoryStatsCache}, never per call.
	 */
	@Override
	public HistoryStats stats() {
		MongoCollection<Document> collection = collection();
		long maxTime = this.properties.statsTimeout().toMillis();
		Map<String, Long> byPod = new TreeMap<>();
		long count = 0;
		for (Document group : collection.aggregate(List.of(Aggregates.group("$" + POD, Accumulators.sum("n", 1))))
			.maxTime(maxTime, TimeUnit.MILLISECONDS)) {
			long n = group.get("n", Number.class).longValue();
			byPod.put(String.valueOf(group.get(ID)), n);
			count += n;
		}
		if (count == 0) {
			return new HistoryStats(0, null, null, byPod);
		}
		return new HistoryStats(count, receivedAt(collection, Sorts.ascending(RECEIVED_AT), maxTime),
				receivedAt(collection, Sorts.descending(RECEIVED_AT), maxTime), byPod);
	}

	private static Date receivedAt(MongoCollection<Document> collection, Bson sort, long maxTime) {
		Document first = collection.find()
			.sort(sort)
			.projection(Projections.include(RECEIVED_AT))
			.maxTime(maxTime, TimeUnit.MILLISECONDS)
			.first();
		return (first != null) ? first.getDate(RECEIVED_AT) : null;
	}

	@Override
	public long estimatedCount() {
		return collection().estimatedDocumentCount(new EstimatedDocumentCountOptions()
			.maxTime(this.properties.queryTimeout().toMillis(), TimeUnit.MILLISECONDS));
	}

	/** Indexes for paging, per-pod queries and retention; safe to run on every start. */
	@Override
	public void ensureIndexes() {
		MongoCollection<Document> collection = collection();
		// index builds on a large collection take longer than a query: the startup budget
		// bounds them
		long maxTime = this.properties.statsTimeout().toMillis();
		CreateIndexOptions bounded = new CreateIndexOptions().maxTime(maxTime, TimeUnit.MILLISECONDS);
		collection.createIndexes(List.of(
				new IndexModel(Indexes.compoundIndex(Indexes.descending(RECEIVED_AT), Indexes.descending(ID)),
						new IndexOptions().name("received_at_id")),
				new IndexModel(Indexes.compoundIndex(Indexes.ascending(POD), Indexes.descending(RECEIVED_AT)),
						new IndexOptions().name("pod_received_at"))),
				bounded);
		long ttlSeconds = this.properties.retention().toSeconds();
		try {
			collection
				.createIndexes(
						List.of(new IndexModel(Indexes.ascending(RECEIVED_AT),
								new IndexOptions().name(TTL_INDEX).expireAfter(ttlSeconds, TimeUnit.SECONDS))),
						bounded);
		}
		catch (MongoCommandException ex) {
			// retention changed since the index was created: update it in place
			log.info("Updating retention of {} to {}s", TTL_INDEX, ttlSeconds);
			this.mongo.getDb()
				.runCommand(new Document("collMod", this.properties.collection())
					.append("index", new Document("name", TTL_INDEX).append("expireAfterSeconds", ttlSeconds))
					.append("maxTimeMS", maxTime));
		}
	}

}
