package dev.cumsum.transaction.mongo;

import org.bson.Document;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.data.mongodb.core.MongoTemplate;

/**
 * Health by {@code ping}, which every MongoDB and mongo-java-server answer (Boot's indicator uses
 * {@code hello}, which mongo-java-server lacks). Part of readiness, never of liveness.
 */
class MongoPingHealthIndicator extends AbstractHealthIndicator {

	private final MongoTemplate mongo;

	MongoPingHealthIndicator(MongoTemplate mongo) {
		super("MongoDB ping failed");
		this.mongo = mongo;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Document reply = this.mongo.executeCommand(new Document("ping", 1));
		builder.up().withDetail("database", this.mongo.getDb().getName()).withDetail("ok", reply.get("ok"));
	}

}
