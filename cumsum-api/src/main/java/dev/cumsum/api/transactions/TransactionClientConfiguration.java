package dev.cumsum.api.transactions;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import dev.cumsum.transaction.v1.TransactionServiceGrpc.TransactionServiceBlockingStub;
import dev.cumsum.transaction.v1.TransactionServiceGrpc.TransactionServiceFutureStub;
import io.grpc.ManagedChannel;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.ChannelBuilderOptions;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * The channel to transaction-api ({@code spring.grpc.client.channel.transactions.target}). Every
 * RPC of the service is idempotent (RecordBatch by request id), so all are retried on UNAVAILABLE
 * within their deadline. Round robin spreads calls over every transaction-api pod behind a
 * headless Service.
 */
@Configuration(proxyBeanMethods = false)
class TransactionClientConfiguration {

	static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

	static Map<String, Object> serviceConfig() {
		Map<String, Object> retryPolicy = Map.of("maxAttempts", 3.0, "initialBackoff", "0.05s", "maxBackoff", "0.5s",
				"backoffMultiplier", 2.0, "retryableStatusCodes", List.of("UNAVAILABLE"));
		Map<String, Object> methodConfig = Map.of("name",
				List.of(Map.of("service", TransactionServiceGrpc.SERVICE_NAME)), "retryPolicy", retryPolicy);
		return Map.of("methodConfig", List.of(methodConfig), "loadBalancingConfig",
				List.of(Map.of("round_robin", Map.of())));
	}

	@Bean
	ManagedChannel transactionChannel(GrpcChannelFactory channels, ScheduledExecutorService reconnectTimer) {
		ManagedChannel channel = channels.createChannel("transactions",
				ChannelBuilderOptions.defaults().withCustomizer((name, builder) -> builder
					.defaultServiceConfig(serviceConfig())
					.enableRetry()
					.maxInboundMessageSize(MAX_MESSAGE_BYTES)));
		// connect now, so the first request does not pay for it within its deadline
		channel.getState(true);
		FastReconnect.watch(channel, reconnectTimer, Duration.ofMillis(500));
		return channel;
	}

	@Bean(destroyMethod = "shutdownNow")
	ScheduledExecutorService reconnectTimer() {
		return Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("grpc-reconnect").daemon().factory());
	}

	@Bean
	TransactionServiceFutureStub transactionFutureStub(ManagedChannel transactionChannel) {
		// wait for a connection within the deadline instead of failing at once during a reconnect
		return TransactionServiceGrpc.newFutureStub(transactionChannel).withWaitForReady();
	}

	@Bean
	TransactionServiceBlockingStub transactionBlockingStub(ManagedChannel transactionChannel) {
		return TransactionServiceGrpc.newBlockingStub(transactionChannel).withWaitForReady();
	}

}
