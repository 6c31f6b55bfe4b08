package dev.cumsum.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Both services as processes on loopback ports, started and ready: transaction-api on its
 * embedded store in a directory or on a MongoDB, cumsum-api in a delivery mode talking to
 * it over gRPC. Closing stops cumsum-api first.
 */
final class LocalStack implements AutoCloseable {

	static final Duration READY = Duration.ofSeconds(90);

	final ServiceProcess transactions;

	final ServiceProcess api;

	final int grpcPort;

	final int apiPort;

	final ApiClient client;

	private LocalStack(ServiceProcess transactions, ServiceProcess api, int grpcPort, int apiPort) {
		this.transactions = transactions;
		this.api = api;
		this.grpcPort = grpcPort;
		this.apiPort = apiPort;
		this.client = new ApiClient(apiPort);
	}

	/** transaction-api on its embedded store in {@code dataDir}. */
	static LocalStack embedded(Path dataDir, String deliveryMode) throws InterruptedException {
		return start(null, dataDir, List.of(), deliveryMode, List.of());
	}

	/**
	 * @param mongoUri transaction-api's MongoDB, or null for its embedded store in
	 * {@code dataDir}
	 * @param transactionArgs further arguments of transaction-api
	 * @param apiArgs further arguments of cumsum-api
	 */
	static LocalStack start(String mongoUri, Path dataDir, List<String> transactionArgs, String deliveryMode,
			List<String> apiArgs) throws InterruptedException {
		int grpc = ServiceProcess.freePort();
		int port = ServiceProcess.freePort();
		LocalStack stack = new LocalStack(
				ServiceProcess.transactionApi(grpc, ServiceProcess.freePort(), mongoUri, dataDir,
						transactionArgs.toArray(String[]::new)),
				ServiceProcess.cumsumApi(port, ServiceProcess.freePort(), grpc, deliveryMode,
						apiArgs.toArray(String[]::new)),
				grpc, port);
		try {
			stack.transactions.start();
			stack.api.start();
			stack.transactions.awaitReady(READY);
			stack.api.awaitReady(READY);
			return stack;
		}
		catch (RuntimeException | InterruptedException | Error ex) {
			stack.close();
			throw ex;
		}
	}

	@Override
	public void close() {
		this.api.close();
		this.transactions.close();
	}

}
