package dev.cumsum.api.history;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import dev.cumsum.transaction.v1.TransactionServiceGrpc.TransactionServiceBlockingStub;
import dev.cumsum.transaction.v1.TransactionServiceGrpc.TransactionServiceFutureStub;
import io.grpc.ManagedChannel;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * The channel to transaction-api. Its settings are Spring gRPC's channel properties
 * ({@code spring.grpc.client.channel.transactions.*} in application.yaml): the target,
 * round robin over every transaction-api pod behind a headless Service, the inbound
 * message limit, and the service config (retry on UNAVAILABLE, wait for ready). What
 * stays here has no property: the connection made at startup and {@link FastReconnect}.
 */
@Configuration(proxyBeanMethods = false)
class TransactionApiClientConfiguration {

	@Bean
	ManagedChannel transactionChannel(GrpcChannelFactory channels, ScheduledExecutorService reconnectTimer) {
		ManagedChannel channel = channels.createChannel("transactions");
		// connect now, so the first request does not pay for it within its deadline
		channel.getState(true);
		// gRPC's reconnect backoff (up to two minutes) is not configurable by a property
		// or the service config
		FastReconnect.watch(channel, reconnectTimer, Duration.ofMillis(500));
		return channel;
	}

	@Bean(destroyMethod = "shutdownNow")
	ScheduledExecutorService reconnectTimer() {
		return Executors
			.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("grpc-reconnect").daemon().factory());
	}

	@Bean
	TransactionServiceFutureStub transactionFutureStub(ManagedChannel transactionChannel) {
		return TransactionServiceGrpc.newFutureStub(transactionChannel);
	}

	@Bean
	TransactionServiceBlockingStub transactionBlockingStub(ManagedChannel transactionChannel) {
		return TransactionServiceGrpc.newBlockingStub(transactionChannel);
	}

}
