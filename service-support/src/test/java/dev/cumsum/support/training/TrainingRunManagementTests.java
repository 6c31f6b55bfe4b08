package dev.cumsum.support.training;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link TrainingRun#callManagementEndpoints}: the probes' and the scrape's paths over
 * real HTTP, on the port Boot publishes for the management server.
 */
class TrainingRunManagementTests {

	private HttpServer server;

	private final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

	private volatile int status = 200;

	@BeforeEach
	void start() throws Exception {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/", (exchange) -> {
			this.calls.computeIfAbsent(exchange.getRequestURI().getPath(), (path) -> new AtomicInteger())
				.incrementAndGet();
			exchange.sendResponseHeaders(this.status, -1);
			exchange.close();
		});
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.stop(0);
	}

	@Test
	void callsEachProbeAndTheScrapeOnTheManagementPort() throws Exception {
		MockEnvironment environment = new MockEnvironment().withProperty("local.server.port", "1")
			.withProperty("local.management.port", String.valueOf(this.server.getAddress().getPort()));

		TrainingRun.callManagementEndpoints(environment);

		assertThat(this.calls.keySet()).containsExactlyInAnyOrderElementsOf(TrainingRun.MANAGEMENT_PATHS);
		assertThat(this.calls.values()).allSatisfy((n) -> assertThat(n.get()).isEqualTo(TrainingRun.MANAGEMENT_CALLS));
	}

	@Test
	void usesTheServerPortWhenManagementSharesIt() throws Exception {
		MockEnvironment environment = new MockEnvironment().withProperty("local.server.port",
				String.valueOf(this.server.getAddress().getPort()));

		TrainingRun.callManagementEndpoints(environment);

		assertThat(this.calls.keySet()).containsExactlyInAnyOrderElementsOf(TrainingRun.MANAGEMENT_PATHS);
	}

	@Test
	void anAnswerOtherThan200FailsTheRun() {
		this.status = 503;
		MockEnvironment environment = new MockEnvironment().withProperty("local.server.port",
				String.valueOf(this.server.getAddress().getPort()));

		assertThatIllegalStateException().isThrownBy(() -> TrainingRun.callManagementEndpoints(environment))
			.withMessage("GET /actuator/health/liveness on the management port answered 503");
	}

	@Test
	void readinessMayStillRefuseTrafficDuringTheReadyEvent() {
		this.status = 503;
		MockEnvironment environment = new MockEnvironment().withProperty("local.server.port",
				String.valueOf(this.server.getAddress().getPort()));

		assertThatIllegalStateException().isThrownBy(() -> TrainingRun.callManagementEndpoints(environment));
		assertThat(this.calls.get("/actuator/health/readiness")).hasValue(1);
		assertThat(this.calls.get("/actuator/health/liveness")).hasValue(1);
	}

	@Test
	void withoutAWebServerNothingIsCalled() throws Exception {
		TrainingRun.callManagementEndpoints(new MockEnvironment());

		assertThat(this.calls).isEmpty();
	}

}
