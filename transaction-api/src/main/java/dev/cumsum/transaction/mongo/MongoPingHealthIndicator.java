package dev.cumsum.transaction.mongo;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.bson.Document;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Health by {@code ping}, which every MongoDB and mongo-java-server answer (Boot's
 * indicator uses {@code hello}, which mongo-java-server lacks). Part of readiness, never
 * of liveness. A server that does not answer within the ping timeout is DOWN at once; the
 * ping still waiting (bounded by the socket timeout) is reused instead of piling up
 * another one per probe.
 */
class MongoPingHealthIndicator extends AbstractHealthIndicator {

	private final MongoTemplate mongo;

	private final Duration timeout;

	private final AtomicReference<CompletableFuture<Document>> pending = new AtomicReference<>();

	MongoPingHealthIndicator(MongoTemplate mongo, Duration timeout) {
		super("MongoDB ping failed");
		this.mongo = mongo;
		this.timeout = timeout;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) throws Exception {
		CompletableFuture<Document> ping = this.pending
			.updateAndGet((previous) -> (previous != null && !previous.isDone()) ? previous : CompletableFuture
				.supplyAsync(this::ping, (task) -> Thread.ofVirtual().name("mongo-ping").start(task)));
		Document reply;
		try {
			reply = ping.get(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			builder.down().withDetail("error", "no answer to ping within " + this.timeout.toMillis() + " ms");
			return;
		}
		catch (ExecutionException ex) {
			throw (ex.getCause() instanceof Exception cause) ? cause : ex;
		}
		builder.up().withDetail("database", this.mongo.getDb().getName()).withDetail("ok", reply.get("ok"));
	}

	private Document ping() {
		return this.mongo.executeCommand(new Document("ping", 1).append("maxTimeMS", this.timeout.toMillis()));
	}

}
