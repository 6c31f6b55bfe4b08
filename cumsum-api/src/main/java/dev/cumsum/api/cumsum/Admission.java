package dev.cumsum.api.cumsum;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Admission control by cost: a request is admitted while fewer than the request budget
 * are in flight, and each part of its cost ({@link RequestCost}) is reserved from the
 * cost budget before the work it stands for. Nothing waits: beyond a budget the answer is
 * 503 with Retry-After at once (outcome {@code overloaded} on
 * {@code cumsum_requests_total}), and a request that alone would cost more than the whole
 * budget is 413. Both budgets default to shares of the heap, so no mix of valid requests
 * can exhaust it (README, "Admission control").
 */
@Component
class Admission {

	private final long costBudget;

	private final int requestBudget;

	private final int retryAfterSeconds;

	private final AtomicLong cost = new AtomicLong();

	private final AtomicInteger requests = new AtomicInteger();

	Admission(AdmissionProperties properties, MeterRegistry registry) {
		long maxHeap = Runtime.getRuntime().maxMemory();
		this.costBudget = properties.costBudget(maxHeap);
		this.requestBudget = properties.requestBudget(maxHeap);
		this.retryAfterSeconds = (int) Math.max(1, properties.retryAfter().toSeconds());
		Gauge.builder("cumsum.admission.cost", this.cost::get)
			.description("Estimated heap cost of the POST /api requests in flight")
			.baseUnit("bytes")
			.register(registry);
		Gauge.builder("cumsum.admission.cost.budget", () -> this.costBudget)
			.description("In-flight cost beyond which POST /api answers 503")
			.baseUnit("bytes")
			.register(registry);
		Gauge.builder("cumsum.admission.requests", this.requests::get)
			.description("POST /api requests in flight")
			.register(registry);
		Gauge.builder("cumsum.admission.requests.budget", () -> this.requestBudget)
			.description("POST /api requests in flight beyond which it answers 503")
			.register(registry);
	}

	long costBudget() {
		return this.costBudget;
	}

	int requestBudget() {
		return this.requestBudget;
	}

	/**
	 * Takes a request slot and reserves the request's fixed cost; the ticket is released
	 * by {@link ApiCall#release} when the request finished (its answer written).
	 * @throws RequestRejectedException beyond the request or cost budget
	 */
	Ticket admit(ApiCall call) {
		if (this.requests.incrementAndGet() > this.requestBudget) {
			this.requests.decrementAndGet();
			throw overloaded(call, this.requestBudget + " requests are in flight");
		}
		Ticket ticket = new Ticket(call);
		call.admitted(ticket);
		ticket.reserve(RequestCost.PER_REQUEST);
		return ticket;
	}

	private RequestRejectedException overloaded(ApiCall call, String why) {
		call.refusedAsOverloaded();
		return RequestRejectedException.overloaded("the service is at capacity (" + why + "); retry later",
				this.retryAfterSeconds);
	}

	/** One request's reservations; used by the request's own thread only. */
	final class Ticket implements AutoCloseable {

		private final ApiCall call;

		private long reserved;

		private boolean closed;

		private Ticket(ApiCall call) {
			this.call = call;
		}

		/**
		 * Reserves more of the cost budget for this request.
		 * @throws RequestRejectedException too large (413) when this request alone would
		 * exceed the whole budget, overloaded (503) when the requests in flight leave too
		 * little of it
		 */
		void reserve(long bytes) {
			if (this.closed || bytes <= 0) {
				return;
			}
			if (this.reserved + bytes > Admission.this.costBudget) {
				throw RequestRejectedException.tooLarge("the request would need about " + mib(this.reserved + bytes)
						+ " MiB of memory, more than this instance admits at once (" + mib(Admission.this.costBudget)
						+ " MiB); send fewer elements or numbers of a narrower range");
			}
			long now;
			do {
				now = Admission.this.cost.get();
				if (now + bytes > Admission.this.costBudget) {
					throw overloaded(this.call, "not enough of its memory budget is free");
				}
			}
			while (!Admission.this.cost.compareAndSet(now, now + bytes));
			this.reserved += bytes;
		}

		long reserved() {
			return this.reserved;
		}

		@Override
		public void close() {
			if (!this.closed) {
				this.closed = true;
				Admission.this.cost.addAndGet(-this.reserved);
				Admission.this.requests.decrementAndGet();
			}
		}

		private static long mib(long bytes) {
			return (bytes + AdmissionProperties.MIB - 1) / AdmissionProperties.MIB;
		}

	}

}
