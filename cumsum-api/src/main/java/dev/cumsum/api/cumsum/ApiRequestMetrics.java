package dev.cumsum.api.cumsum;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * {@code cumsum_requests_total{mode,outcome}}: the counter the autoscaler reads (docs/metrics.md).
 * Every label combination is registered at startup, so an idle pod reports a rate of 0. Requests
 * refused by admission control count too (outcome {@code overloaded}): the autoscaler must see the
 * load that the pod could not take.
 */
@Component
class ApiRequestMetrics {

	static final String INVALID_MODE = "invalid";

	private static final String[] MODES = { Mode.MAN.label(), Mode.NP.label(), INVALID_MODE };

	private static final String[] OUTCOMES = { "success", "client_error", "unavailable", "overloaded",
			"server_error" };

	private final Counter[][] counters = new Counter[MODES.length][OUTCOMES.length];

	ApiRequestMetrics(MeterRegistry registry) {
		for (int m = 0; m < MODES.length; m++) {
			for (int o = 0; o < OUTCOMES.length; o++) {
				this.counters[m][o] = Counter.builder("cumsum.requests")
					.description("Finished POST /api requests")
					.tag("mode", MODES[m])
					.tag("outcome", OUTCOMES[o])
					.register(registry);
			}
		}
	}

	/** @param overloaded refused by admission control (a 503 that is not about the history) */
	void count(Mode mode, int status, boolean overloaded) {
		int m = (mode != null) ? mode.ordinal() : 2;
		int o = (status < 400) ? 0 : (status < 500) ? 1 : (status != 503) ? 4 : overloaded ? 3 : 2;
		this.counters[m][o].increment();
	}

}
