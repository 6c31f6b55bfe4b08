package dev.cumsum.transaction.embedded;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Local mode only (no {@code spring.mongodb.uri}).
 *
 * @param dataDir directory of the file-backed store, so the history survives a restart
 * @param database database name announced in the connection string
 */
@ConfigurationProperties("history.embedded")
record EmbeddedMongoProperties(@DefaultValue("./data") Path dataDir, @DefaultValue("cumsum") String database) {
}
