package dev.cumsum.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One service's executable jar as a real process on loopback ports: test-support's
 * {@link dev.cumsum.testsupport.ServiceProcess} with the arguments the system tests start
 * each service with.
 */
final class ServiceProcess extends dev.cumsum.testsupport.ServiceProcess {

	/**
	 * {@link #DEFAULT_JVM} plus {@code -Dspring.aot.enabled=true}: the bean definitions
	 * Spring AOT generated at build time, as the images start.
	 */
	static final List<String> AOT_JVM = Stream.concat(DEFAULT_JVM.stream(), Stream.of("-Dspring.aot.enabled=true"))
		.toList();

	private ServiceProcess(String name, int managementPort, List<String> jvmOptions, List<String> args) {
		super(name, managementPort, jvmOptions, args);
	}

	static ServiceProcess transactionApi(int grpcPort, int managementPort, String mongoUri, Path dataDir,
			String... extra) {
		return transactionApi(DEFAULT_JVM, grpcPort, managementPort, mongoUri, dataDir, extra);
	}

	/** With these JVM options instead of the small defaults (e.g. {@link #AOT_JVM}). */
	static ServiceProcess transactionApi(List<String> jvmOptions, int grpcPort, int managementPort, String mongoUri,
			Path dataDir, String... extra) {
		List<String> args = new ArrayList<>(List.of("--spring.grpc.server.port=" + grpcPort,
				"--server.port=" + managementPort, "--spring.grpc.server.shutdown.grace-period=5s"));
		if (mongoUri != null) {
			args.add("--spring.mongodb.uri=" + mongoUri);
		}
		else {
			args.add("--history.embedded.data-dir=" + dataDir);
		}
		args.addAll(List.of(extra));
		return new ServiceProcess("transaction-api", managementPort, jvmOptions, args);
	}

	static ServiceProcess cumsumApi(int port, int managementPort, int transactionGrpcPort, String deliveryMode,
			String... extra) {
		return cumsumApi(DEFAULT_JVM, port, managementPort, transactionGrpcPort, deliveryMode, extra);
	}

	/**
	 * With these JVM options instead of the small defaults (e.g. the chart's,
	 * {@link ChartJvm}).
	 */
	static ServiceProcess cumsumApi(List<String> jvmOptions, int port, int managementPort, int transactionGrpcPort,
			String deliveryMode, String... extra) {
		List<String> args = new ArrayList<>(List.of("--server.port=" + port,
				"--management.server.port=" + managementPort, "--cumsum.delivery.mode=" + deliveryMode,
				"--spring.grpc.client.channel.transactions.target=static://127.0.0.1:" + transactionGrpcPort,
				"--cumsum.pod-name=system-test", "--cumsum.history.token=" + ApiClient.HISTORY_TOKEN));
		args.addAll(List.of(extra));
		return new ServiceProcess("cumsum-api", managementPort, jvmOptions, args);
	}

	@Override
	public ServiceProcess start() {
		super.start();
		return this;
	}

	@Override
	public ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
		super.awaitReady(timeout);
		return this;
	}

}
