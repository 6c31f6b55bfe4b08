package dev.cumsum.transaction;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The store of a whole-service test class ({@code @SpringBootTest}): local mode with its
 * files in a temporary directory, or, with {@code -Dmongodb.uri}, the real MongoDB in a
 * database of the class's own, dropped after it.
 */
public abstract class StoreBacked {

	@TempDir
	static Path dataDir;

	private static String database;

	@BeforeAll
	static void nameDatabase(TestInfo test) {
		// before the context starts: the properties below are read when it does
		database = TestMongo.uniqueDatabase(test.getTestClass().orElseThrow().getSimpleName().toLowerCase());
	}

	@DynamicPropertySource
	static void store(DynamicPropertyRegistry registry) {
		registry.add("history.embedded.data-dir", () -> dataDir.toString());
		String uri = TestMongo.externalUri();
		if (uri != null) {
			registry.add("spring.mongodb.uri", () -> uri);
			registry.add("spring.mongodb.database", () -> database);
		}
	}

	@AfterAll
	static void dropDatabase() {
		TestMongo.dropExternal(database);
	}

}
