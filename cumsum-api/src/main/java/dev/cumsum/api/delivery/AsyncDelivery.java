package dev.cumsum.api.delivery;

import dev.cumsum.transaction.v1.Record;

/**
 * Answers once the record is buffered; the batcher retries transient failures until
 * acknowledged.
 */
class AsyncDelivery extends BatchedDelivery {

	AsyncDelivery(RecordBatcher batcher, DeliveryProperties properties) {
		super(batcher, properties);
	}

	@Override
	public void deliver(Record record) {
		if (this.batcher.offer(record) == null) {
			throw unavailable("the history buffer is full or shutting down; the request was not recorded");
		}
	}

}
