package dev.cumsum.transaction.history;

import java.time.Duration;
import java.util.List;

import dev.cumsum.transaction.history.HistoryErrors.InvalidRecordException;
import dev.cumsum.transaction.history.HistoryErrors.RecordNotFoundException;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * What the history does, whoever asks: checks what it is given, stores and reads through
 * the {@link HistoryStore}, traces and counts the writes, and serves the totals from
 * their cache within the caller's time. Failures are thrown and become statuses in
 * {@link HistoryErrors}.
 */
@Service
class History {

	private static final Logger log = LoggerFactory.getLogger(History.class);

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

	History(HistoryStore store, HistoryStatsCache stats, HistoryMetrics metrics, HistoryProperties properties,
			ObjectProvider<Tracer> tracer) {
		this.store = store;
		this.stats = stats;
		this.metrics = metrics;
		this.queryTimeout = properties.queryTimeout();
		this.tracer = tracer.getIfAvailable(() -> Tracer.NOOP);
	}

	/** Stores one batch: all of it is checked before anything is written. */
	BatchResult record(List<HistoryRecord> records) {
		records.forEach(History::validate);
		long start = System.nanoTime();
		// the write as a child of the caller's span (the gRPC server span): the last hop
		// of each request's trace
		Span span = this.tracer.nextSpan()
			.name("mongodb insertMany")
			.tag("db.system", "mongodb")
			.tag("db.operation", "insertMany")
			.tag("cumsum.records", records.size())
			.start();
		BatchResult result;
		try (Tracer.SpanInScope scope = this.tracer.withSpan(span)) {
			result = this.store.insert(records);
		}
		catch (RuntimeException ex) {
			if (!(ex instanceof InvalidRecordException)) {
				this.metrics.failed(records.size(), System.nanoTime() - start);
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
		return result;
	}

	private static void validate(HistoryRecord record) {
		String id = record.requestId();
		if (id.isEmpty() || id.length() > MAX_REQUEST_ID_LENGTH) {
			throw new InvalidRecordException("request_id must be 1.." + MAX_REQUEST_ID_LENGTH + " characters");
		}
		if (record.receivedAt() == null) {
			throw new InvalidRecordException("received_at is required (record " + id + ")");
		}
	}

	HistoryRecord find(String requestId) {
		return this.store.find(requestId).orElseThrow(() -> new RecordNotFoundException(requestId));
	}

	/**
	 * One page, newest first.
	 * @param size 1..{@value #MAX_PAGE_SIZE}, or 0 for {@value #DEFAULT_PAGE_SIZE}
	 * @param token the previous page's next token, or empty for the first page
	 */
	Page page(int size, String token) {
		if (size < 0 || size > MAX_PAGE_SIZE) {
			throw new InvalidRecordException(
					"page_size must be 0.." + MAX_PAGE_SIZE + " (0 means " + DEFAULT_PAGE_SIZE + ")");
		}
		PageToken after = null;
		if (!token.isEmpty()) {
			try {
				after = PageToken.decode(token);
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidRecordException(ex.getMessage());
			}
		}
		return this.store.page((size == 0) ? DEFAULT_PAGE_SIZE : size, after);
	}

	/**
	 * The totals, waiting for fresh ones within the query timeout, or less when the
	 * caller has less time left.
	 * @param timeLeft until the caller's deadline, or null without one
	 */
	HistoryStats stats(Duration timeLeft) {
		Duration budget = this.queryTimeout;
		if (timeLeft != null) {
			Duration left = timeLeft.minus(ANSWER_MARGIN);
			budget = left.isNegative() ? Duration.ZERO : (left.compareTo(budget) < 0) ? left : budget;
		}
		return this.stats.get(budget);
	}

}
