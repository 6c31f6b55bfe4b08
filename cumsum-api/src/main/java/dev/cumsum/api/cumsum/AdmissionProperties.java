package dev.cumsum.api.cumsum;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Admission control of {@code POST /api}: how much work may be in flight at once. Beyond
 * either budget a request gets 503 with Retry-After at once, before any expensive work
 * (README, "Admission control").
 *
 * @param heapFraction share of the maximum heap ({@link Runtime#maxMemory()}) that
 * in-flight requests may cost together, by {@link RequestCost}'s estimate; used when
 * {@code maxCost} is unset
 * @param maxCost the in-flight cost budget in estimated heap bytes; unset = heapFraction
 * of the heap
 * @param maxRequests requests in flight at once; unset = one per MiB of heap, at least 32
 * @param retryAfter the Retry-After sent with the 503
 */
@ConfigurationProperties("cumsum.admission")
record AdmissionProperties(@DefaultValue("0.375") double heapFraction, @Nullable DataSize maxCost,
		@Nullable Integer maxRequests, @DefaultValue("1s") Duration retryAfter) {

	static final long MIB = 1024 * 1024;

	AdmissionProperties {
		if (!(heapFraction > 0 && heapFraction <= 1)) {
			throw new IllegalArgumentException("cumsum.admission.heap-fraction must be in (0, 1], was " + heapFraction);
		}
	}

	long costBudget(long maxHeap) {
		return (this.maxCost != null) ? this.maxCost.toBytes() : (long) (maxHeap * this.heapFraction);
	}

	int requestBudget(long maxHeap) {
		return (this.maxRequests != null) ? this.maxRequests : (int) Math.max(32, maxHeap / MIB);
	}

}
