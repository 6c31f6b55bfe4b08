package dev.cumsum.api.delivery;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.cumsum.transaction.v1.Record;
import io.grpc.Status;

/** Waits, at most the delivery timeout, for transaction-api to acknowledge the durable write. */
class StrictDelivery extends BatchedDelivery {

	StrictDelivery(RecordBatcher batcher, DeliveryProperties properties) {
		super(batcher, properties);
	}

	@Override
	public void deliver(Record record) {
		CompletableFuture<Void> acknowledged = this.batcher.offer(record);
		if (acknowledged == null) {
			throw unavailable("the history buffer is full or shutting down; the request was not recorded");
		}
		try {
			acknowledged.get(this.properties.timeout().toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			this.batcher.giveUp(acknowledged, ex);
			throw notAcknowledgedInTime();
		}
		catch (ExecutionException ex) {
			// the call's deadline equals this wait: whichever expires first, the outcome is unknown
			if (Status.fromThrowable(ex.getCause()).getCode() == Status.Code.DEADLINE_EXCEEDED) {
				throw notAcknowledgedInTime();
			}
			throw unavailable("transaction-api could not store the record: " + ex.getCause().getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.batcher.giveUp(acknowledged, ex);
			throw unavailable("interrupted while waiting for transaction-api");
		}
	}

	private DeliveryUnavailableException notAcknowledgedInTime() {
		return unavailable("transaction-api did not acknowledge the record within "
				+ this.properties.timeout().toMillis() + " ms; it may or may not be stored");
	}

}
