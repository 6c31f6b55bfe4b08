package dev.cumsum.api.delivery;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.cumsum.transaction.v1.Record;
import io.grpc.Status;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for transaction-api to acknowledge the durable write, at most the delivery
 * timeout in all (the wait for a call slot and the call together; the call's deadline is
 * the last of its waiting requests', so it never outlives them). A failure is answered
 * "not stored" only when that is certain (the record was never sent, or transaction-api
 * rejected it before writing); whenever the insert may have committed the answer says the
 * outcome is unknown and to retry with the same X-Request-Id, which stores it at most
 * once. The client sees no gRPC or MongoDB text: that is logged, with the request id.
 */
class StrictDelivery extends BatchedDelivery {

	private static final Logger log = LoggerFactory.getLogger(StrictDelivery.class);

	static final String RETRY = "retry with the same X-Request-Id (a request is stored at most once)";

	StrictDelivery(RecordBatcher batcher, DeliveryProperties properties) {
		super(batcher, properties);
	}

	@Override
	public void deliver(Record record) {
		long deadline = System.nanoTime() + this.properties.timeout().toNanos();
		String id = record.getRequestId();
		Pending pending = this.batcher.offer(record, deadline);
		if (pending == null) {
			throw unavailable("the history buffer is full or shutting down; the request was not stored");
		}
		try {
			pending.acknowledged().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			if (this.batcher.withdraw(pending, ex)) {
				log.warn("Record {} not sent within the delivery timeout: not stored", id);
				throw unavailable("the history was too busy to take the record within " + timeoutMillis()
						+ " ms; the request was not stored");
			}
			log.warn("Record {} not acknowledged within the delivery timeout: outcome unknown", id);
			throw outcomeUnknown("transaction-api did not acknowledge the record within " + timeoutMillis() + " ms");
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RequestIdConflictException conflict) {
				throw conflict;
			}
			Status.Code code = Status.fromThrowable(cause).getCode();
			log.warn("Record {} not acknowledged ({}): {}", id, code, cause.toString());
			if (code == Status.Code.DEADLINE_EXCEEDED) {
				// the call's deadline is this wait's: whichever expires first, the
				// outcome is unknown
				throw outcomeUnknown(
						"transaction-api did not acknowledge the record within " + timeoutMillis() + " ms");
			}
			if (!CallFailure.of(code).mayHaveStored()) {
				throw unavailable(
						"transaction-api could not store the record (" + code + "); the request was not stored");
			}
			throw outcomeUnknown("transaction-api did not confirm the record (" + code + ")");
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			boolean neverSent = this.batcher.withdraw(pending, ex);
			throw neverSent ? unavailable("interrupted before the record was sent; the request was not stored")
					: outcomeUnknown("interrupted while waiting for transaction-api");
		}
	}

	private DeliveryUnavailableException outcomeUnknown(String reason) {
		return unavailable(reason + "; it may or may not be stored; " + RETRY);
	}

	private long timeoutMillis() {
		return this.properties.timeout().toMillis();
	}

}
