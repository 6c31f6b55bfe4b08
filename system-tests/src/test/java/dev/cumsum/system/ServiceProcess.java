package dev.cumsum.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One service's executable jar as a real process on loopback ports. */
final class ServiceProcess implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final List<String> command;

	private final int managementPort;

	private final Path log;

	private Process process;

	private int starts;

	private ServiceProcess(String name, List<String> command, int managementPort) {
		this.name = name;
		this.command = command;
		this.managementPort = managementPort;
		this.log = Path.of(System.getProperty("logs.dir", "target/process-logs"));
	}

	static ServiceProcess transactionApi(int grpcPort, int managementPort, String mongoUri, Path dataDir,
			String... extra) {
		List<String> args = new ArrayList<>(List.of("--spring.grpc.server.port=" + grpcPort,
				"--server.port=" + managementPort, "--spring.grpc.server.shutdown.grace-period=5s"));
		if (mongoUri != null) {
			args.add("--spring.mongodb.uri=" + mongoUri);
		}
		else {
			args.add("--transaction.embedded.data-dir=" + dataDir);
		}
		args.addAll(List.of(extra));
		return create("transaction-api", managementPort, args);
	}

	static ServiceProcess cumsumApi(int port, int managementPort, int transactionGrpcPort, String deliveryMode,
			String... extra) {
		List<String> args = new ArrayList<>(List.of("--server.port=" + port,
				"--management.server.port=" + managementPort, "--cumsum.delivery.mode=" + deliveryMode,
				"--spring.grpc.client.channel.transactions.target=static://127.0.0.1:" + transactionGrpcPort,
				"--cumsum.pod-name=system-test", "--cumsum.history.token=" + ApiClient.HISTORY_TOKEN));
		args.addAll(List.of(extra));
		return create("cumsum-api", managementPort, args);
	}

	private static ServiceProcess create(String name, int managementPort, List<String> args) {
		Path jar = Path.of(System.getProperty("apps.dir", "target/apps"), name + "-exec.jar");
		if (!Files.exists(jar)) {
			throw new IllegalStateException(jar + " is missing: run the build through Maven (./mvnw verify)");
		}
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				// small heaps and C1 only: two services and the test share two cores
				"-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()));
		command.addAll(args);
		return new ServiceProcess(name, command, managementPort);
	}

	ServiceProcess start() {
		try {
			Files.createDirectories(this.log);
			Path out = this.log.resolve(this.name + "-" + (++this.starts) + ".log");
			this.process = new ProcessBuilder(this.command).redirectErrorStream(true)
				.redirectOutput(out.toFile())
				.start();
			return this;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with " + this.process.exitValue() + "; see "
						+ this.log);
			}
			if (readinessStatus() == 200) {
				return this;
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException(this.name + " not ready within " + timeout + "; see " + this.log);
	}

	int readinessStatus() {
		try {
			return HTTP.send(HttpRequest.newBuilder(managementUri("/actuator/health/readiness"))
				.timeout(Duration.ofSeconds(2))
				.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	URI managementUri(String path) {
		return URI.create("http://127.0.0.1:" + this.managementPort + path);
	}

	/** Abrupt: like a node failure or an OOM kill, no shutdown hooks run. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

	/** SIGTERM, as Kubernetes sends it: graceful shutdown runs. Returns the exit code. */
	int terminate(Duration timeout) throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			this.process.destroyForcibly();
			throw new IllegalStateException(this.name + " did not stop within " + timeout);
		}
		return this.process.exitValue();
	}

	boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	String output() throws IOException {
		StringBuilder all = new StringBuilder();
		for (int i = 1; i <= this.starts; i++) {
			all.append(Files.readString(this.log.resolve(this.name + "-" + i + ".log")));
		}
		return all.toString();
	}

	@Override
	public void close() {
		if (this.process != null) {
			this.process.destroyForcibly();
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
