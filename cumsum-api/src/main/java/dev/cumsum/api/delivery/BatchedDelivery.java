package dev.cumsum.api.delivery;

/** What strict and async delivery share: the batcher, and how a refusal is answered. */
abstract class BatchedDelivery implements Delivery {

	final RecordBatcher batcher;

	final DeliveryProperties properties;

	BatchedDelivery(RecordBatcher batcher, DeliveryProperties properties) {
		this.batcher = batcher;
		this.properties = properties;
	}

	@Override
	public boolean enabled() {
		return true;
	}

	DeliveryUnavailableException unavailable(String detail) {
		return new DeliveryUnavailableException(detail, (int) Math.max(1, this.properties.retryAfter().toSeconds()));
	}

}
