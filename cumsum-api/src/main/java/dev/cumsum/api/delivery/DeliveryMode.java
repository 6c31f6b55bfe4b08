package dev.cumsum.api.delivery;

/** How requests reach the history. */
public enum DeliveryMode {

	/** 200 only after transaction-api acknowledged the durable write; 503 otherwise. */
	STRICT,

	/**
	 * 200 once buffered; a bounded buffer is sent in batches with retries; 503 when full.
	 */
	ASYNC,

	/** Nothing is recorded. For benchmarks of the compute path only. */
	OFF

}
