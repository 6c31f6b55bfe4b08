package dev.cumsum.transaction;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Supplier;

import com.mongodb.client.MongoClients;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.util.StringUtils;

/**
 * Where tests find MongoDB: a real server when {@code -Dmongodb.uri=...} is given,
 * otherwise a mongo-java-server each test starts itself.
 */
public final class TestMongo {

	private TestMongo() {
	}

	/**
	 * The real MongoDB to test against, or null. Surefire passes an undefined property
	 * through literally.
	 */
	public static String externalUri() {
		String uri = System.getProperty("mongodb.uri");
		return (StringUtils.hasText(uri) && !uri.startsWith("${")) ? uri.strip() : null;
	}

	/**
	 * A database no other test class (or earlier run) uses, so it can be dropped
	 * afterwards.
	 */
	public static String uniqueDatabase(String prefix) {
		return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
	}

	/**
	 * The store of a whole-service test: local mode with its files in {@code dataDir},
	 * or, with {@code -Dmongodb.uri}, the real MongoDB in {@code database}.
	 */
	public static void store(DynamicPropertyRegistry registry, Supplier<Path> dataDir, String database) {
		registry.add("transaction.embedded.data-dir", () -> dataDir.get().toString());
		String uri = externalUri();
		if (uri != null) {
			registry.add("spring.mongodb.uri", () -> uri);
			registry.add("spring.mongodb.database", () -> database);
		}
	}

	/** Drops {@code database} from the real MongoDB, if the tests ran against one. */
	public static void dropExternal(String database) {
		String uri = externalUri();
		if (uri != null) {
			try (var client = MongoClients.create(uri)) {
				client.getDatabase(database).drop();
			}
		}
	}

	/** A loopback port nothing listens on (bound once, then released). */
	public static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
