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
			.applyToClusterSettings((cluster) -> cluster
				.serverSelectionTimeout(properties.serverSelectionTimeout().toMillis(), TimeUnit.MILLISECONDS))
			.applyToSocketSettings(
					(socket) -> socket.connectTimeout(properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
						.readTimeout(properties.socketTimeout().toMillis(), TimeUnit.MILLISECONDS))
			.applyToConnectionPoolSettings(
					(pool) -> pool.maxWaitTime(properties.poolWaitTimeout().toMillis(), TimeUnit.MILLISECONDS));
	}

	@Bean
	MongoPingHealthIndicator mongoHealthIndicator(MongoTemplate mongo, MongoClientProperties properties) {
		return new MongoPingHealthIndicator(mongo, properties.pingTimeout());
	}

}
