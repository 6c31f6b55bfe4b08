package dev.cumsum.transaction.history;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the request history is stored.
 *
 * @param collection MongoDB collection holding one document per request
 * @param retention how long a record is kept (TTL index on {@code received_at})
 * @param writeConcern {@code majority} or a number of nodes; a write is acknowledged only then
 * @param journal whether acknowledged writes must be in the on-disk journal
 * @param writeTimeout how long one batch write may wait for its write concern
 * @param startupTimeout how long startup keeps trying to reach MongoDB before failing
 */
@ConfigurationProperties("transaction.store")
record HistoryProperties(@DefaultValue("transactions") String collection, @DefaultValue("7d") Duration retention,
		@DefaultValue("majority") String writeConcern, @DefaultValue("true") boolean journal,
		@DefaultValue("5s") Duration writeTimeout, @DefaultValue("60s") Duration startupTimeout) {
}
