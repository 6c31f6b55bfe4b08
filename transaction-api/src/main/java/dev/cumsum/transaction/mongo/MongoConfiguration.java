package dev.cumsum.transaction.mongo;

import java.util.concurrent.TimeUnit;

import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.MongoTemplate;

@Configuration(proxyBeanMethods = false)
class MongoConfiguration {

	@Bean
	MongoClientSettingsBuilderCustomizer mongoTimeouts(MongoClientProperties properties) {
		return (settings) -> settings
			.applyToClusterSettings((cluster) -> cluster.serverSelectionTimeout(
					properties.serverSelectionTimeout().toMillis(), TimeUnit.MILLISECONDS))
			.applyToSocketSettings((socket) -> socket.connectTimeout(properties.connectTimeout().toMillis(),
					TimeUnit.MILLISECONDS));
	}

	@Bean
	MongoPingHealthIndicator mongoHealthIndicator(MongoTemplate mongo) {
		return new MongoPingHealthIndicator(mongo);
	}

}
