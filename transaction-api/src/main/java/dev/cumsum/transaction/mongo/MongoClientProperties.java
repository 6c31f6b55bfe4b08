package dev.cumsum.transaction.mongo;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Driver timeouts. The driver's defaults (30 s to select a server) are longer than any caller
 * waits, so a dead MongoDB would hold gRPC calls long after their deadline.
 *
 * @param serverSelectionTimeout how long an operation waits for a reachable server
 * @param connectTimeout TCP connect timeout
 */
@ConfigurationProperties("transaction.mongo")
record MongoClientProperties(@DefaultValue("3s") Duration serverSelectionTimeout,
		@DefaultValue("3s") Duration connectTimeout) {
}
