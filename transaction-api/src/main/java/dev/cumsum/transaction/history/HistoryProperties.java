package dev.cumsum.transaction.history;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.mongodb.WriteConcern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the request history is stored. The time limits fit the deadlines cumsum-api gives
 * its calls (cumsum.delivery.timeout 3s for RecordBatch, cumsum.history.read-timeout 2s
 * for reads) and stay below the driver's socket timeout (history.mongo.socket-timeout),
 * so a slow server answers with a clean error first.
 *
 * @param collection MongoDB collection holding one document per request
 * @param retention how long a record is kept (TTL index on {@code received_at})
 * @param writeConcern {@code majority} or a number of nodes; a write is acknowledged only
 * then
 * @param journal whether acknowledged writes must be in the on-disk journal
 * @param writeTimeout how long one batch write may wait for its write concern
 * ({@code wtimeout})
 * @param queryTimeout {@code maxTimeMS} of every read a call makes (one record, a page,
 * the digests of a batch's duplicate ids)
 * @param statsTimeout {@code maxTimeMS} of the totals' background computation and of
 * index builds
 * @param statsMaxAge totals older than this are recomputed when asked for (one
 * computation at a time, never per call); a call that cannot wait for it gets the
 * previous totals
 * @param startupTimeout how long startup keeps trying to reach MongoDB before failing
 */
@ConfigurationProperties("history.store")
record HistoryProperties(@DefaultValue("transactions") String collection, @DefaultValue("7d") Duration retention,
		@DefaultValue("majority") String writeConcern, @DefaultValue("true") boolean journal,
		@DefaultValue("2500ms") Duration writeTimeout, @DefaultValue("1500ms") Duration queryTimeout,
		@DefaultValue("8s") Duration statsTimeout, @DefaultValue("10s") Duration statsMaxAge,
		@DefaultValue("60s") Duration startupTimeout) {

	/**
	 * The driver's write concern: {@code writeConcern}, {@code journal} and
	 * {@code writeTimeout}.
	 */
	WriteConcern mongoWriteConcern() {
		WriteConcern concern = this.writeConcern.chars().allMatch(Character::isDigit)
				? new WriteConcern(Integer.parseInt(this.writeConcern)) : new WriteConcern(this.writeConcern);
		return concern.withJournal(this.journal).withWTimeout(this.writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
	}

}
