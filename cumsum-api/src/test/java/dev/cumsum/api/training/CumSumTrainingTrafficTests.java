package dev.cumsum.api.training;

import java.time.Duration;

import dev.cumsum.api.cumsum.Mode;
import dev.cumsum.api.WithTransactionServiceDouble;
import dev.cumsum.support.training.TrainingTraffic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The AOT cache's training traffic against the running service: every kind of call
 * answered as expected.
 */
class CumSumTrainingTrafficTests extends WithTransactionServiceDouble {

	@Autowired
	private TrainingTraffic traffic;

	@Autowired
	private MeterRegistry registry;

	@Test
	void sendsEveryKindOfRequestAndChecksTheAnswers() throws Exception {
		double success = count("success");
		double rejected = count("client_error");

		int kinds = CumSumTrainingTraffic.CALLS.size();
		this.traffic.send(6 * kinds);

		// 4 calls per mode, a long array and one malformed body (400), each sent 6 times
		assertThat(kinds).isEqualTo(4 * Mode.values().length + 2);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(count("success") - success).isEqualTo(6 * (kinds - 1));
			assertThat(count("client_error") - rejected).isEqualTo(6);
		});
		assertThat(transactions.records()).hasSize(6 * (kinds - 1));
	}

	private double count(String outcome) {
		return this.registry.find("cumsum.requests")
			.tag("outcome", outcome)
			.counters()
			.stream()
			.mapToDouble(Counter::count)
			.sum();
	}

}
