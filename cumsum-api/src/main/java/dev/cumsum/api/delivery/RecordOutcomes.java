package dev.cumsum.api.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import dev.cumsum.transaction.v1.RecordBatchResponse;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles records' futures and counts them: exactly one of acknowledged, conflict, failed
 * or lost is counted per record, whichever settles its future first (a strict caller
 * giving up at its deadline races the call's answer and the shutdown).
 */
final class RecordOutcomes {

	private static final Logger log = LoggerFactory.getLogger(RecordOutcomes.class);

	private final DeliveryMetrics metrics;

	RecordOutcomes(DeliveryMetrics metrics) {
		this.metrics = metrics;
	}

	/**
	 * transaction-api answered: every record is stored, except those whose id it reports
	 * in {@code conflicting_request_ids} (stored for a different request), which fail
	 * with {@link RequestIdConflictException}.
	 */
	void acknowledge(List<Pending> batch, RecordBatchResponse response) {
		Set<String> conflicting = Set.copyOf(response.getConflictingRequestIdsList());
		int acknowledged = 0;
		for (Pending pending : batch) {
			String id = pending.requestId();
			if (conflicting.contains(id)) {
				if (pending.acknowledged().completeExceptionally(new RequestIdConflictException(id))) {
					this.metrics.conflict();
					log.warn("Record {} NOT STORED: its request id is already stored for a different request "
							+ "(reused X-Request-Id)", id);
				}
			}
			else {
				acknowledged += pending.acknowledged().complete(null) ? 1 : 0;
			}
		}
		this.metrics.acknowledged(acknowledged);
	}

	/** A strict caller gives up on a record (its timeout, or its batch's call failed). */
	void giveUp(CompletableFuture<Void> acknowledged, Throwable reason) {
		if (acknowledged.completeExceptionally(reason)) {
			this.metrics.failed(1);
		}
	}

	/**
	 * Async: a permanent failure is not retried; its records are counted, logged and
	 * released.
	 */
	void fail(List<Pending> batch, CallFailure kind, Throwable failure) {
		List<String> ids = new ArrayList<>();
		for (Pending pending : batch) {
			if (pending.acknowledged().completeExceptionally(failure)) {
				this.metrics.failed(1);
				ids.add(pending.requestId());
			}
		}
		if (!ids.isEmpty()) {
			log.error("RecordBatch failed permanently ({}): {} records given up, not retried ({}): {}",
					Status.fromThrowable(failure).getCode(), ids.size(),
					kind.mayHaveStored() ? "each may or may not be stored" : "none was stored", ids);
			log.debug("RecordBatch failure", failure);
		}
	}

	/**
	 * Not acknowledged before the shutdown drain deadline: counted and logged, never
	 * dropped silently.
	 */
	void lose(List<Pending> records, Throwable cause) {
		for (Pending pending : records) {
			if (pending.acknowledged().completeExceptionally(cause)) {
				this.metrics.lost(1);
				log.error("Record {} LOST: not acknowledged by transaction-api before the shutdown drain deadline ({})",
						pending.requestId(), cause.toString());
			}
		}
	}

}
