package dev.cumsum.support.training;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The training run of a JDK AOT cache (images/aot.Dockerfile): with
 * {@code training.requests} above 0, once the service is ready it sends that many
 * requests through its own endpoints (its {@link TrainingTraffic} bean), then closes the
 * context, so the JVM exits and writes a cache that holds the request path's classes and
 * profiles, not only the startup's. A wrong answer fails the run, and with it the image
 * build.
 * <p>
 * It also calls what the kubelet and Prometheus call on the management port (the probes
 * and the scrape, {@link #MANAGEMENT_PATHS}): without that, the pod's first readiness
 * probe loaded and linked the classes of that path from the jars, outside the cache
 * (transaction-api: ~400 classes of Tomcat, Jackson and Spring MVC, ~0.3 s on one core,
 * docs/benchmarks.md "Startup").
 */
public final class TrainingRun implements ApplicationListener<ApplicationReadyEvent> {

	static final String REQUESTS = "training.requests";

	/**
	 * The management endpoints a pod serves: probes (chart) and the scrape
	 * (ServiceMonitor).
	 */
	static final List<String> MANAGEMENT_PATHS = List.of("/actuator/health/readiness", "/actuator/health/liveness",
			"/actuator/prometheus");

	/** Calls of each management path: enough for the JIT's profiles of that path. */
	static final int MANAGEMENT_CALLS = 20;

	private static final Log log = LogFactory.getLog(TrainingRun.class);

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		ConfigurableApplicationContext context = event.getApplicationContext();
		int requests = context.getEnvironment().getProperty(REQUESTS, Integer.class, 0);
		if (requests <= 0) {
			return;
		}
		TrainingTraffic traffic = context.getBean(TrainingTraffic.class);
		long start = System.nanoTime();
		try {
			traffic.send(requests);
			callManagementEndpoints(context.getEnvironment());
		}
		catch (Exception ex) {
			throw new IllegalStateException("Training run failed: " + ex.getMessage(), ex);
		}
		log.info("Training run: " + requests + " requests in "
				+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms, closing");
		SpringApplication.exit(context);
	}

	/**
	 * Calls {@link #MANAGEMENT_PATHS} on the management port (Boot's
	 * {@code local.management.port}, or the server port when management shares it),
	 * expecting 200 (readiness: 200 or 503, see below); nothing when the application has
	 * no web server.
	 */
	static void callManagementEndpoints(Environment environment) throws Exception {
		Integer port = environment.getProperty("local.management.port", Integer.class,
				environment.getProperty("local.server.port", Integer.class, 0));
		if (port <= 0) {
			return;
		}
		for (int i = 0; i < MANAGEMENT_CALLS; i++) {
			for (String path : MANAGEMENT_PATHS) {
				int status = get(port, path);
				// readiness is still REFUSING_TRAFFIC (503) while ApplicationReadyEvent
				// listeners run: Boot publishes ACCEPTING_TRAFFIC after them
				boolean readinessNotYet = path.endsWith("/readiness") && status == 503;
				if (status != 200 && !readinessNotYet) {
					throw new IllegalStateException("GET " + path + " on the management port answered " + status);
				}
			}
		}
	}

	/**
	 * One HTTP/1.1 GET over a plain socket, the status code of the answer. Not the JDK's
	 * HttpClient: the cache holds every class the training run loads and the JVM loads
	 * them all at each start; a pod never uses the HttpClient's (with it, both services
	 * started 0.15-0.3 s later).
	 */
	private static int get(int port, String path) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
			in.transferTo(OutputStream.nullOutputStream());
			if (!statusLine.startsWith("HTTP/1.1 ")) {
				throw new IOException("not an HTTP/1.1 answer to GET " + path + ": " + statusLine);
			}
			return Integer.parseInt(statusLine.substring(9, 12));
		}
	}

}
