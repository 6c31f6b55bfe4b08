package dev.cumsum.transaction;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.UUID;

import com.mongodb.client.MongoClients;

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
