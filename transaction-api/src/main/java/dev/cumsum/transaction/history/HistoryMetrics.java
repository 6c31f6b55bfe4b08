package dev.cumsum.transaction.history;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

/**
 * The metrics named in docs/metrics.md; counters exist from startup so idle rates are 0.
 */
@Component
class HistoryMetrics {

	private final Counter inserted;

	private final Counter duplicates;

	private final Counter failed;

	private final Counter conflicts;

	private final DistributionSummary batchSize;

	private final Timer writeSuccess;

	private final Timer writeFailure;

	private final AtomicLong historyRecords = new AtomicLong();

	HistoryMetrics(MeterRegistry registry) {
		this.inserted = records(registry, "inserted");
		this.duplicates = records(registry, "duplicate");
		this.failed = records(registry, "failed");
		this.conflicts = records(registry, "conflict");
		this.batchSize = DistributionSummary.builder("transaction.batch.size")
			.description("Records per RecordBatch call")
			.register(registry);
		this.writeSuccess = writeTimer(registry, "success");
		this.writeFailure = writeTimer(registry, "failure");
		Gauge.builder("transaction.history.records", this.historyRecords, AtomicLong::get)
			.description("Records stored (estimated document count)")
			.register(registry);
	}

	private static Counter records(MeterRegistry registry, String result) {
		return Counter.builder("transaction.records")
			.description("Records received in RecordBatch calls")
			.tag("result", result)
			.register(registry);
	}

	private static Timer writeTimer(MeterRegistry registry, String outcome) {
		return Timer.builder("transaction.write")
			.description("Duration of one insertMany with the configured write concern")
			.tag("outcome", outcome)
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(10))
			.register(registry);
	}

	void written(BatchResult result, long nanos) {
		this.inserted.increment(result.inserted());
		this.duplicates.increment(result.duplicates());
		this.conflicts.increment(result.conflicts().size());
		this.batchSize.record(result.inserted() + result.duplicates() + result.conflicts().size());
		this.writeSuccess.record(Duration.ofNanos(nanos));
	}

	void failed(int records, long nanos) {
		this.failed.increment(records);
		this.batchSize.record(records);
		this.writeFailure.record(Duration.ofNanos(nanos));
	}

	void historyRecords(long count) {
		this.historyRecords.set(count);
	}

}
