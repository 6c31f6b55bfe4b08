package dev.cumsum.api.delivery;

import dev.cumsum.transaction.v1.Record;

/** Answers once the record is buffered; the batcher retries until transaction-api acknowledges it. */
class AsyncDelivery implements Delivery {

	private final RecordBatcher batcher;

	private final DeliveryProperties properties;

	AsyncDelivery(RecordBatcher batcher, DeliveryProperties properties) {
		this.batcher = batcher;
		this.properties = properties;
	}

	@Override
	public boolean enabled() {
		return true;
	}

	@Override
	public void deliver(Record record) {
		if (this.batcher.offer(record) == null) {
			throw new DeliveryUnavailableException(
					"the history buffer is full (" + this.properties.bufferCapacity()
							+ " records) or shutting down; the request was not recorded",
					(int) Math.max(1, this.properties.retryAfter().toSeconds()));
		}
	}

}
