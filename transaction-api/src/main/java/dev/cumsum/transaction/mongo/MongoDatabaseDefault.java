package dev.cumsum.transaction.mongo;

import java.util.Map;

import com.mongodb.ConnectionString;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * The database the history lives in has one source: the path of
 * {@code spring.mongodb.uri} (in Kubernetes the chart's {@code mongodb.database}, where
 * the application user may write). Only when the URI names none is
 * {@code spring.mongodb.database} defaulted, to {@value #DEFAULT_DATABASE}; an explicit
 * {@code spring.mongodb.database} still overrides the URI, as in Spring Boot. A default
 * in application.yaml would instead always win over the URI, and without one Boot fails
 * on a URI without a path. Local mode names its database in its own connection string
 * (dev.cumsum.transaction.embedded.EmbeddedMongoConfiguration).
 */
class MongoDatabaseDefault implements EnvironmentPostProcessor {

	static final String DEFAULT_DATABASE = "cumsum";

	static final String DATABASE = "spring.mongodb.database";

	static final String URI = "spring.mongodb.uri";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (environment.containsProperty(DATABASE)) {
			return;
		}
		String uri = environment.getProperty(URI);
		if (StringUtils.hasText(uri) && !StringUtils.hasText(new ConnectionString(uri).getDatabase())) {
			environment.getPropertySources()
				.addLast(new MapPropertySource("transactionMongoDatabaseDefault", Map.of(DATABASE, DEFAULT_DATABASE)));
		}
	}

}
