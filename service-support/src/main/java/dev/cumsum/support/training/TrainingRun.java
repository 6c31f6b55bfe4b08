package dev.cumsum.support.training;

import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The training run of a JDK AOT cache (images/aot.Dockerfile): with
 * {@code training.requests} above 0, once the service is ready it sends that many
 * requests through its own endpoints (its {@link TrainingTraffic} bean), then closes the
 * context, so the JVM exits and writes a cache that holds the request path's classes and
 * profiles, not only the startup's. A wrong answer fails the run, and with it the image
 * build.
 */
public final class TrainingRun implements ApplicationListener<ApplicationReadyEvent> {

	static final String REQUESTS = "training.requests";

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
		}
		catch (Exception ex) {
			throw new IllegalStateException("Training run failed: " + ex.getMessage(), ex);
		}
		log.info("Training run: " + requests + " requests in "
				+ TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms, closing");
		SpringApplication.exit(context);
	}

}
