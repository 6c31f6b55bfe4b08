package dev.cumsum.api.cumsum;

import java.time.Duration;

import dev.cumsum.api.WithTransactionServiceDouble;
import dev.cumsum.support.training.TrainingTraffic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The AOT cache's training traffic against the running service: every kind of call answered as expected. */
class CumSumTrainingTrafficTests extends WithTransactionServiceDouble {

	@Autowired
	private TrainingTraffic traffic;

	@Autowired
	private MeterRegistry registry;

	@Test
	void sendsEveryKindOfRequestAndChecksTheAnswers() throws Exception {
		double success = count("success");
		double rejected = count("client_error");

		this.traffic.send(60);

		// 6 kinds of call, one of them a malformed body (400)
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
			assertThat(count("success") - success).isEqualTo(50);
			assertThat(count("client_error") - rejected).isEqualTo(10);
		});
		assertThat(transactions.records()).hasSize(50);
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
