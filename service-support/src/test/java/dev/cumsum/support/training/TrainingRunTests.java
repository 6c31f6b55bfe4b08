package dev.cumsum.support.training;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link TrainingRun} as Spring Boot loads it (spring.factories), in a real application.
 */
class TrainingRunTests {

	@Test
	void withRequestsItSendsThemThenClosesTheApplication() {
		CountingTraffic traffic = new CountingTraffic(false);
		ConfigurableApplicationContext context = run(traffic, "--training.requests=25");

		assertThat(traffic.sent.get()).isEqualTo(25);
		assertThat(context.isActive()).as("closed, so the JVM can exit and write the cache").isFalse();
	}

	@Test
	void withoutRequestsTheApplicationRunsAsUsual() {
		CountingTraffic traffic = new CountingTraffic(false);
		try (ConfigurableApplicationContext context = run(traffic)) {
			assertThat(traffic.sent.get()).isZero();
			assertThat(context.isActive()).isTrue();
		}
	}

	@Test
	void aWrongAnswerFailsTheRun() {
		CountingTraffic traffic = new CountingTraffic(true);
		assertThatIllegalStateException().isThrownBy(() -> run(traffic, "--training.requests=3"))
			.withMessageContaining("Training run failed: answer 2 was wrong");
	}

	private static ConfigurableApplicationContext run(TrainingTraffic traffic, String... args) {
		SpringApplication application = new SpringApplication(EmptyConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.addInitializers((context) -> context.getBeanFactory().registerSingleton("traffic", traffic));
		return application.run(args);
	}

	@Configuration(proxyBeanMethods = false)
	static class EmptyConfiguration {

	}

	static final class CountingTraffic implements TrainingTraffic {

		final AtomicInteger sent = new AtomicInteger();

		private final boolean fail;

		CountingTraffic(boolean fail) {
			this.fail = fail;
		}

		@Override
		public void send(int requests) {
			for (int i = 0; i < requests; i++) {
				if (this.fail && i == 2) {
					throw new IllegalArgumentException("answer 2 was wrong");
				}
				this.sent.incrementAndGet();
			}
		}

	}

}
