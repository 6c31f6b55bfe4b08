package dev.cumsum.transaction.embedded;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Local mode only (no {@code spring.mongodb.uri}).
 *
 * @param dataDir directory of the file-backed store, so the history survives a restart
 * @param database database name announced in the connection string
 * @param store the H2 MVStore under mongo-java-server: what a record costs on disk and in
 * memory (docs/benchmarks.md, "The embedded store")
 */
@ConfigurationProperties("history.embedded")
record EmbeddedMongoProperties(@DefaultValue("./data") Path dataDir, @DefaultValue("cumsum") String database,
		@DefaultValue Store store) {

	/**
	 * @param cacheSize the store's page cache (H2's default is 16 MB)
	 * @param compress compress pages (LZF) before they are written: the documents are
	 * Java-serialized maps, whose repeated class descriptors compress well
	 * @param retention how long a chunk no longer used stays untouched before its space
	 * is reused (H2's default 45 s): every commit writes a chunk, so at a few hundred
	 * commits a second this, not the records, decides the file size
	 * @param autoCompactFillRate below this share of live data (percent) the background
	 * writer rewrites chunks to free the space of the old ones
	 */
	record Store(@DefaultValue("8MB") DataSize cacheSize, @DefaultValue("true") boolean compress,
			@DefaultValue("2s") Duration retention, @DefaultValue("90") int autoCompactFillRate) {
	}

}
