package dev.cumsum.api.cumsum;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * {@code cumsum_requests_total{mode,outcome}}: the counter the autoscaler reads
 * (docs/metrics.md). Every label combination ({@link Mode} labels plus
 * {@value #INVALID_MODE} for requests whose mode is unknown, times every {@link Outcome})
 * is registered at startup, so an idle pod reports a rate of 0. Requests refused by
 * admission control count too (outcome {@code overloaded}): the autoscaler must see the
 * load that the pod could not take.
 */
@Component
class ApiRequestMetrics {

	static final String INVALID_MODE = "invalid";

	/** The {@code outcome} label of a finished request. */
	enum Outcome {

		SUCCESS, CLIENT_ERROR, UNAVAILABLE, OVERLOADED, SERVER_ERROR;

		final String label = name().toLowerCase(Locale.ROOT);

		/**
		 * @param overloaded refused by admission control (a 503 that is not about the
		 * history)
		 */
		static Outcome of(int status, boolean overloaded) {
			if (status < 400) {
				return SUCCESS;
			}
			if (status < 500) {
				return CLIENT_ERROR;
			}
			if (status != 503) {
				return SERVER_ERROR;
			}
			return overloaded ? OVERLOADED : UNAVAILABLE;
		}

	}

	private final Map<Mode, Map<Outcome, Counter>> byMode = new EnumMap<>(Mode.class);

	private final Map<Outcome, Counter> invalidMode;

	ApiRequestMetrics(MeterRegistry registry) {
		for (Mode mode : Mode.values()) {
			this.byMode.put(mode, counters(registry, mode.label()));
		}
		this.invalidMode = counters(registry, INVALID_MODE);
	}

	private static Map<Outcome, Counter> counters(MeterRegistry registry, String mode) {
		Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);
		for (Outcome outcome : Outcome.values()) {
			counters.put(outcome,
					Counter.builder("cumsum.requests")
						.description("Finished POST /api requests")
						.tag("mode", mode)
						.tag("outcome", outcome.label)
						.register(registry));
		}
		return counters;
	}

	/**
	 * @param mode the request's mode, null when it was not read (invalid body)
	 * @param overloaded refused by admission control (a 503 that is not about the
	 * history)
	 */
	void count(Mode mode, int status, boolean overloaded) {
		Map<Outcome, Counter> counters = (mode != null) ? this.byMode.get(mode) : this.invalidMode;
		counters.get(Outcome.of(status, overloaded)).increment();
	}

}
