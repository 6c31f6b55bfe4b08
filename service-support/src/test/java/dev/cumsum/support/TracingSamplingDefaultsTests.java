package dev.cumsum.support;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class TracingSamplingDefaultsTests {

	private final TracingSamplingDefaults defaults = new TracingSamplingDefaults();

	private String probabilityWith(MockEnvironment environment) {
		this.defaults.postProcessEnvironment(environment, new SpringApplication());
		return environment.getProperty(TracingSamplingDefaults.PROBABILITY);
	}

	@Test
	void noEndpointMeansNoSampling() {
		assertThat(probabilityWith(new MockEnvironment())).isEqualTo("0.0");
	}

	@Test
	void anEndpointMeansEveryRequestIsSampled() {
		assertThat(probabilityWith(
				new MockEnvironment().withProperty(TracingSamplingDefaults.ENDPOINT, "http://jaeger:4318/v1/traces")))
			.isEqualTo("1.0");
	}

	@Test
	void anExplicitProbabilityWins() {
		assertThat(probabilityWith(new MockEnvironment().withProperty(TracingSamplingDefaults.PROBABILITY, "0.25")
			.withProperty(TracingSamplingDefaults.ENDPOINT, "http://jaeger:4318/v1/traces"))).isEqualTo("0.25");
	}

	@Test
	void isRegisteredForSpringBoot() throws Exception {
		String factories = new String(getClass().getResourceAsStream("/META-INF/spring.factories").readAllBytes());
		assertThat(factories).contains("org.springframework.boot.EnvironmentPostProcessor",
				TracingSamplingDefaults.class.getName());
	}

}
