package dev.cumsum.api.delivery;

import dev.cumsum.transaction.v1.Record;

/** Hands each request's record to transaction-api, as {@link DeliveryMode} says. */
public interface Delivery {

	/**
	 * False in {@code off} mode: nothing is recorded, so callers need not build records.
	 */
	boolean enabled();

	/**
	 * Strict: returns once transaction-api acknowledged the durable write, waiting at
	 * most {@code cumsum.delivery.timeout} in all (for a call slot and for the call).
	 * Async: returns once the record is buffered.
	 * @throws DeliveryUnavailableException when that cannot happen; the caller answers
	 * 503
	 * @throws RequestIdConflictException when the request id is stored for a different
	 * request (strict)
	 */
	void deliver(Record record);

}
