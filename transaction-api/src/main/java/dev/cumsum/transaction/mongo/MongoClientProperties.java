package dev.cumsum.transaction.mongo;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Driver timeouts. The driver's defaults (30 s to select a server, 2 min to wait for a
 * pooled connection, no socket read timeout at all) are longer than any caller waits: a
 * dead or hung MongoDB would hold gRPC calls, and their threads, long after their
 * deadline or for ever.
 *
 * @param serverSelectionTimeout how long an operation waits for a reachable server
 * @param connectTimeout TCP connect timeout (also the read timeout of the driver's server
 * monitor)
 * @param socketTimeout how long a read may wait for MongoDB's reply; above the longest
 * server-side limit (history.store.stats-timeout, write-timeout, query-timeout), so it
 * only ends calls to a server that stopped answering
 * @param poolWaitTimeout how long an operation waits for a pooled connection when all are
 * in use
 * @param pingTimeout how long the readiness check waits for MongoDB's {@code ping}
 */
@ConfigurationProperties("history.mongo")
record MongoClientProperties(@DefaultValue("2s") Duration serverSelectionTimeout,
		@DefaultValue("2s") Duration connectTimeout, @DefaultValue("10s") Duration socketTimeout,
		@DefaultValue("2s") Duration poolWaitTimeout, @DefaultValue("1s") Duration pingTimeout) {
}
