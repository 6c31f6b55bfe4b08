package dev.cumsum.api.delivery;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The delivery metrics of docs/metrics.md, tagged with the delivery mode. */
class DeliveryMetrics {

	private final Counter acknowledged;

	private final Counter rejected;

	private final Counter failed;

	private final Counter lost;

	private final Counter conflict;

	private final Counter retries;

	private final DistributionSummary batchSize;

	private final Timer batchSuccess;

	private final Timer batchFailure;

	DeliveryMetrics(MeterRegistry registry, DeliveryMode mode, Supplier<Number> bufferSize, int capacity,
			Supplier<Number> heldBytes) {
		String delivery = mode.name().toLowerCase(java.util.Locale.ROOT);
		this.acknowledged = records(registry, delivery, "acknowledged");
		this.rejected = records(registry, delivery, "rejected");
		this.failed = records(registry, delivery, "failed");
		this.lost = records(registry, delivery, "lost");
		this.conflict = records(registry, delivery, "conflict");
		this.retries = Counter.builder("cumsum.delivery.retries")
			.description("RecordBatch calls sent again after a failure")
			.tag("delivery", delivery)
			.register(registry);
		this.batchSize = DistributionSummary.builder("cumsum.delivery.batch.size")
			.description("Records per RecordBatch call")
			.tag("delivery", delivery)
			.register(registry);
		this.batchSuccess = batchTimer(registry, delivery, "success");
		this.batchFailure = batchTimer(registry, delivery, "failure");
		Gauge.builder("cumsum.delivery.buffer.size", bufferSize)
			.description("Records waiting to be sent")
			.tag("delivery", delivery)
			.register(registry);
		Gauge.builder("cumsum.delivery.buffer.capacity", () -> capacity)
			.description("Records the buffer holds before requests get 503")
			.tag("delivery", delivery)
			.register(registry);
		Gauge.builder("cumsum.delivery.buffer.held", heldBytes)
			.description("Serialized bytes of the records held (buffered or in a batch not yet settled)")
			.baseUnit("bytes")
			.tag("delivery", delivery)
			.register(registry);
	}

	private static Counter records(MeterRegistry registry, String delivery, String result) {
		return Counter.builder("cumsum.delivery.records")
			.description("Records handed to transaction-api, by result")
			.tag("delivery", delivery)
			.tag("result", result)
			.register(registry);
	}

	private static Timer batchTimer(MeterRegistry registry, String delivery, String outcome) {
		return Timer.builder("cumsum.delivery.batch")
			.description("Duration of RecordBatch calls")
			.tag("delivery", delivery)
			.tag("outcome", outcome)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(10))
			.register(registry);
	}

	void sent(int records, long nanos, boolean success) {
		this.batchSize.record(records);
		((success) ? this.batchSuccess : this.batchFailure).record(nanos, TimeUnit.NANOSECONDS);
	}

	void acknowledged(int records) {
		this.acknowledged.increment(records);
	}

	void rejected() {
		this.rejected.increment();
	}

	void failed(int records) {
		this.failed.increment(records);
	}

	void lost(int records) {
		this.lost.increment(records);
	}

	void conflict() {
		this.conflict.increment();
	}

	void retried() {
		this.retries.increment();
	}

}
