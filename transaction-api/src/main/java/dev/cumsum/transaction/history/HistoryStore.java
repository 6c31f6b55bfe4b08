package dev.cumsum.transaction.history;

import java.util.List;
import java.util.Optional;

/**
 * Where the history is kept, in its own terms: {@link HistoryRecord}s in, records out.
 * The MongoDB implementation ({@link HistoryRepository}) keeps documents, BSON and time
 * limits to itself.
 */
interface HistoryStore {

	/**
	 * Stores the records, idempotent by request id: each is inserted, a duplicate (same
	 * input) or a conflict (its id is stored with another input); the stored record never
	 * changes.
	 * @throws HistoryErrors.InvalidRecordException for a record the store could never
	 * hold
	 */
	BatchResult insert(List<HistoryRecord> records);

	Optional<HistoryRecord> find(String requestId);

	/** Newest first, without values. */
	Page page(int size, PageToken after);

	/**
	 * Totals over everything stored: expensive, read them through
	 * {@link HistoryStatsCache}.
	 */
	HistoryStats stats();

	/** Cheap, approximate count for the gauge. */
	long estimatedCount();

	/** Prepares the store (indexes); safe to repeat. */
	void ensureIndexes();

}
