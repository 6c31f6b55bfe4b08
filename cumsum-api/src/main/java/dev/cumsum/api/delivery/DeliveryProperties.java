package dev.cumsum.api.delivery;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * @param mode strict (default), async or off
 * @param bufferCapacity records waiting to be sent; beyond it requests get 503
 * @param bufferMaxBytes estimated heap bytes of the records held (buffered, or sent and
 * not yet settled; {@link Pending#heldSize}); beyond it requests get 503, so large
 * requests cannot fill the heap (one record is always taken when nothing is held); unset
 * = an eighth of the maximum heap ({@link Runtime#maxMemory()}: 32 MiB of the chart's 256
 * MiB). With bufferCapacity, the bound on what a SIGKILL of an async pod loses.
 * @param maxBatchSize records per RecordBatch call
 * @param maxBatchBytes serialized bytes per RecordBatch call (a larger single record goes
 * alone)
 * @param maxInFlight RecordBatch calls at once; while all are busy, records accumulate
 * into bigger batches
 * @param timeout deadline of each async RecordBatch call; in strict mode the longest a
 * request waits for the history in all (for a call slot and for the call; a strict call
 * never outlives its last waiting request)
 * @param retryBackoff first pause before an async batch is sent again (doubles up to
 * maxRetryBackoff)
 * @param maxRetryBackoff longest pause between async retries
 * @param drainTimeout on shutdown, how long buffered records may take to be sent
 * @param retryAfter the Retry-After sent with 503
 */
@ConfigurationProperties("cumsum.delivery")
record DeliveryProperties(@DefaultValue("strict") DeliveryMode mode, @DefaultValue("10000") int bufferCapacity,
		@Nullable DataSize bufferMaxBytes, @DefaultValue("500") int maxBatchSize,
		@DefaultValue("4MB") DataSize maxBatchBytes, @DefaultValue("4") int maxInFlight,
		@DefaultValue("3s") Duration timeout, @DefaultValue("100ms") Duration retryBackoff,
		@DefaultValue("5s") Duration maxRetryBackoff, @DefaultValue("20s") Duration drainTimeout,
		@DefaultValue("2s") Duration retryAfter) {

	/**
	 * Share of the maximum heap the held records may take when bufferMaxBytes is unset.
	 */
	static final double HEAP_FRACTION = 0.125;

	long bufferBytesBudget() {
		return (this.bufferMaxBytes != null) ? this.bufferMaxBytes.toBytes()
				: (long) (Runtime.getRuntime().maxMemory() * HEAP_FRACTION);
	}

}
