package dev.cumsum.api;

import org.junit.jupiter.api.BeforeEach;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole application on random HTTP and management ports, in strict delivery mode,
 * talking gRPC to one {@link TransactionServiceDouble} for the JVM. Test classes
 * extending this share one application context (and double), unless they add
 * configuration of their own.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "cumsum.delivery.mode=strict", "cumsum.delivery.timeout=500ms",
				"cumsum.delivery.retry-after=3s", "cumsum.history.read-timeout=500ms", "cumsum.pod-name=pod-under-test",
				"cumsum.history.token=" + WithTransactionServiceDouble.HISTORY_TOKEN })
public abstract class WithTransactionServiceDouble {

	/** The credential for reading the history ({@code Authorization: Bearer}). */
	protected static final String HISTORY_TOKEN = "test-history-token";

	protected static final TransactionServiceDouble transactions = TransactionServiceDouble.start();

	static {
		Runtime.getRuntime().addShutdownHook(new Thread(transactions::close));
	}

	@DynamicPropertySource
	static void transactionApi(DynamicPropertyRegistry registry) {
		registry.add("spring.grpc.client.channel.transactions.target", transactions::target);
	}

	@LocalServerPort
	protected int port;

	@LocalManagementPort
	protected int managementPort;

	@BeforeEach
	void resetDouble() {
		transactions.restartIfStopped();
		transactions.clear();
	}

}
