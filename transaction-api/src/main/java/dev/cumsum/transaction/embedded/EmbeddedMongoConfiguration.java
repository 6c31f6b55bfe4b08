package dev.cumsum.transaction.embedded;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

import com.mongodb.ConnectionString;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import org.h2.mvstore.MVStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
import org.springframework.boot.mongodb.autoconfigure.MongoProperties;
import org.springframework.boot.mongodb.autoconfigure.PropertiesMongoConnectionDetails;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Local mode: with no {@code spring.mongodb.uri} (nor {@code spring.mongodb.host}) the
 * service runs mongo-java-server (the MongoDB wire protocol in Java) on a loopback port,
 * backed by an H2 file under the data directory, and the real MongoDB driver connects to
 * it. Never started when a MongoDB is named.
 * <p>
 * The choice is made when the beans are created, not by a condition on the configuration:
 * a Spring AOT build (process-aot) evaluates conditions once, at build time, and one
 * build must serve both modes. So both beans always exist, and
 * {@link #mongoConnectionDetails} is the application's only
 * {@link MongoConnectionDetails} (Boot's own backs off): the embedded server's address in
 * local mode, Boot's {@link PropertiesMongoConnectionDetails} (URI, host, credentials,
 * SSL bundle) otherwise.
 */
@Configuration(proxyBeanMethods = false)
class EmbeddedMongoConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedMongoConfiguration.class);

	/**
	 * The embedded server in local mode, {@link LocalMongo#none()} when a MongoDB is
	 * named.
	 */
	@Bean(destroyMethod = "shutdown")
	LocalMongo embeddedMongoServer(Environment environment, EmbeddedMongoProperties properties) throws IOException {
		if (mongoConfigured(environment)) {
			return LocalMongo.none();
		}
		Files.createDirectories(properties.dataDir());
		Path file = properties.dataDir().resolve("transactions.mv").toAbsolutePath();
		MongoServer server = new MongoServer(new CommittingH2Backend(open(file, properties.store())));
		server.bind("127.0.0.1", 0);
		InetSocketAddress address = server.getLocalAddress();
		log.info("Embedded MongoDB (mongo-java-server) on {} with data in {}", address, file);
		return new LocalMongo(server,
				new ConnectionString("mongodb://127.0.0.1:" + address.getPort() + "/" + properties.database()));
	}

	@Bean
	MongoConnectionDetails mongoConnectionDetails(LocalMongo embeddedMongoServer, MongoProperties properties,
			ObjectProvider<SslBundles> sslBundles) {
		ConnectionString local = embeddedMongoServer.connectionString();
		if (local != null) {
			return () -> local;
		}
		return new PropertiesMongoConnectionDetails(properties, sslBundles.getIfAvailable());
	}

	/** True when a MongoDB is named: no embedded server then. */
	static boolean mongoConfigured(Environment environment) {
		return StringUtils.hasText(environment.getProperty("spring.mongodb.uri"))
				|| StringUtils.hasText(environment.getProperty("spring.mongodb.host"));
	}

	/**
	 * The embedded server and its connection string, or neither.
	 *
	 * @param server the running server, null when a MongoDB is named
	 * @param connectionString where it listens, null when a MongoDB is named
	 */
	record LocalMongo(@Nullable MongoServer server, @Nullable ConnectionString connectionString) {

		static LocalMongo none() {
			return new LocalMongo(null, null);
		}

		void shutdown() {
			if (this.server != null) {
				this.server.shutdown();
			}
		}

	}

	/**
	 * The MVStore as mongo-java-server's {@code H2Backend(String)} opens it, with the
	 * settings that bound what a record costs on disk and in memory.
	 */
	static MVStore open(Path file, EmbeddedMongoProperties.Store settings) {
		MVStore.Builder builder = new MVStore.Builder().fileName(file.toString())
			.cacheSize((int) Math.max(1, settings.cacheSize().toMegabytes()))
			.autoCompactFillRate(settings.autoCompactFillRate());
		if (settings.compress()) {
			builder.compress();
		}
		MVStore store = builder.open();
		store.setRetentionTime((int) Math.min(Integer.MAX_VALUE, settings.retention().toMillis()));
		return store;
	}

	/**
	 * H2's store commits on a timer by default, so an acknowledged write could vanish if
	 * the process is killed within that second; committing after each write command,
	 * before its reply, makes an acknowledgement mean the write reached the file. Reads
	 * and pings commit nothing: each commit writes a chunk, and committing on every
	 * message kept the store busy long after the load.
	 */
	static final class CommittingH2Backend extends H2Backend {

		private static final Set<String> WRITES = Set.of("insert", "update", "delete", "findAndModify", "findandmodify",
				"createIndexes", "dropIndexes", "drop", "dropDatabase", "collMod", "create");

		CommittingH2Backend(MVStore store) {
			super(store);
		}

		@Override
		public de.bwaldvogel.mongo.bson.Document handleMessage(MongoMessage message) {
			de.bwaldvogel.mongo.bson.Document reply = super.handleMessage(message);
			if (isWrite(message)) {
				commit();
			}
			return reply;
		}

		private static boolean isWrite(MongoMessage message) {
			Iterator<String> keys = message.getDocument().keySet().iterator();
			return keys.hasNext() && WRITES.contains(keys.next());
		}

	}

}
