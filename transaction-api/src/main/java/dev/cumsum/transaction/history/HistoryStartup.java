package dev.cumsum.transaction.history;

import java.time.Duration;
import java.time.Instant;

import com.mongodb.MongoSecurityException;
import com.mongodb.MongoTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Reaches MongoDB before the service reports ready: creates the indexes, retrying while
 * the server is unreachable (it may still be starting), and fails startup with a clear
 * message when it stays unreachable or rejects the credentials.
 */
@Component
class HistoryStartup implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(HistoryStartup.class);

	private final HistoryStore store;

	private final HistoryProperties properties;

	private final HistoryMetrics metrics;

	private final HistoryStatsCache stats;

	HistoryStartup(HistoryStore store, HistoryProperties properties, HistoryMetrics metrics, HistoryStatsCache stats) {
		this.store = store;
		this.properties = properties;
		this.metrics = metrics;
		this.stats = stats;
	}

	@Override
	public void run(ApplicationArguments args) throws InterruptedException {
		Instant deadline = Instant.now().plus(this.properties.startupTimeout());
		while (true) {
			try {
				this.store.ensureIndexes();
				refreshHistoryCount();
				this.stats.warmUp();
				return;
			}
			catch (MongoSecurityException ex) {
				throw new IllegalStateException("MongoDB rejected the credentials in spring.mongodb.uri: "
						+ ex.getMessage() + ". Check the user, password and authSource.", ex);
			}
			catch (MongoTimeoutException ex) {
				if (Instant.now().isAfter(deadline)) {
					throw new IllegalStateException(
							"Cannot reach MongoDB within " + this.properties.startupTimeout().toSeconds()
									+ "s (history.store.startup-timeout). Check spring.mongodb.uri and that the server "
									+ "is running: " + ex.getMessage(),
							ex);
				}
				log.warn("MongoDB not reachable yet, retrying: {}", ex.getMessage());
				Thread.sleep(Duration.ofSeconds(1));
			}
		}
	}

	/** Keeps the history gauge fresh without querying MongoDB on every scrape. */
	@Scheduled(fixedDelayString = "${history.store.count-refresh:15s}", initialDelayString = "15s")
	void refreshHistoryCount() {
		try {
			this.metrics.historyRecords(this.store.estimatedCount());
		}
		catch (RuntimeException ex) {
			log.debug("History count not refreshed: {}", ex.toString());
		}
	}

}
