package dev.cumsum.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One service's executable jar ({@code <apps.dir>/<name>-exec.jar}, default
 * {@code target/apps}) as a real process on loopback ports, with its output in
 * {@code <logs.dir>/<name>-<n>.log} (default {@code target/process-logs}; n counts the
 * starts of every process of that service in the JVM, one log per start). Created
 * stopped; {@link #start()} may be called again after {@link #kill()} or
 * {@link #terminate(Duration)} to restart it with the same arguments.
 */
public class ServiceProcess implements AutoCloseable {

	/** Small heaps and C1 only: two services and the test share two cores. */
	public static final List<String> DEFAULT_JVM = List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

	private static final Map<String, AtomicInteger> STARTS = new ConcurrentHashMap<>();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final List<String> command;

	private final int managementPort;

	private final Path log;

	private Process process;

	/** This process's logs, one per start. */
	private final List<Path> logs = new ArrayList<>();

	/**
	 * @param name the jar's name without {@code -exec.jar}: {@code cumsum-api} or
	 * {@code transaction-api}
	 * @param managementPort where {@code /actuator/health/readiness} answers
	 * @param args the service's arguments ({@code --property=value})
	 */
	protected ServiceProcess(String name, int managementPort, List<String> args) {
		this(name, managementPort, DEFAULT_JVM, args);
	}

	/**
	 * With {@code jvmOptions} instead of {@link #DEFAULT_JVM} (e.g. the chart's own
	 * options).
	 */
	protected ServiceProcess(String name, int managementPort, List<String> jvmOptions, List<String> args) {
		Path jar = Path.of(System.getProperty("apps.dir", "target/apps"), name + "-exec.jar");
		if (!Files.exists(jar)) {
			throw new IllegalStateException(jar + " is missing: run the build through Maven (./mvnw verify)");
		}
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.addAll(List.of("-jar", jar.toString()));
		command.addAll(args);
		this.name = name;
		this.command = List.copyOf(command);
		this.managementPort = managementPort;
		this.log = Path.of(System.getProperty("logs.dir", "target/process-logs"));
	}

	/** The service {@code name} with {@code args}, not started. */
	public static ServiceProcess of(String name, int managementPort, List<String> args) {
		return new ServiceProcess(name, managementPort, args);
	}

	public ServiceProcess start() {
		try {
			Files.createDirectories(this.log);
			// numbered per service over every instance: several processes of one service
			// in one test keep their own logs
			Path out = this.log.resolve(this.name + "-"
					+ STARTS.computeIfAbsent(this.name, (n) -> new AtomicInteger()).incrementAndGet() + ".log");
			this.logs.add(out);
			this.process = new ProcessBuilder(this.command).redirectErrorStream(true)
				.redirectOutput(out.toFile())
				.start();
			return this;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Waits until readiness answers 200; fails at once if the process exits. */
	public ServiceProcess awaitReady(Duration timeout) throws InterruptedException {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						this.name + " exited with " + this.process.exitValue() + ":\n" + logTail());
			}
			if (readinessStatus() == 200) {
				return this;
			}
			Thread.sleep(200);
		}
		throw new IllegalStateException(this.name + " not ready within " + timeout + ":\n" + logTail());
	}

	/** HTTP status of the readiness endpoint, -1 when nothing answers. */
	public int readinessStatus() {
		try {
			return HTTP
				.send(HttpRequest.newBuilder(managementUri("/actuator/health/readiness"))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	public URI managementUri(String path) {
		return URI.create("http://127.0.0.1:" + this.managementPort + path);
	}

	/** Abrupt: like a node failure or an OOM kill, no shutdown hooks run. */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor(30, TimeUnit.SECONDS);
	}

	/** SIGTERM, as Kubernetes sends it: graceful shutdown runs. Returns the exit code. */
	public int terminate(Duration timeout) throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			this.process.destroyForcibly();
			throw new IllegalStateException(this.name + " did not stop within " + timeout);
		}
		return this.process.exitValue();
	}

	/**
	 * Resident set size of the process (Linux {@code /proc}), what a container memory
	 * limit counts; -1 once gone.
	 */
	public long rssBytes() {
		try {
			for (String line : Files.readAllLines(Path.of("/proc", Long.toString(this.process.pid()), "status"))) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
			return -1;
		}
		catch (IOException ex) {
			// the process has gone
			return -1;
		}
	}

	public boolean isAlive() {
		return this.process != null && this.process.isAlive();
	}

	/** Everything the process printed, over all its starts. */
	public String output() throws IOException {
		StringBuilder all = new StringBuilder();
		for (Path start : this.logs) {
			all.append(Files.readString(start));
		}
		return all.toString();
	}

	/** The last 40 lines the current (or last) start printed. */
	public String logTail() {
		try {
			if (this.logs.isEmpty()) {
				return "(not started)";
			}
			List<String> lines = Files.readAllLines(this.logs.get(this.logs.size() - 1));
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	@Override
	public void close() {
		if (this.process != null) {
			this.process.destroyForcibly();
			try {
				this.process.waitFor(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** A free TCP port on the loopback interface. */
	public static int freePort() {
		return Executables.freePort();
	}

}
