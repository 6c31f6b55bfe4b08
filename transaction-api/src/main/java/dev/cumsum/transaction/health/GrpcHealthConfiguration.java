package dev.cumsum.transaction.health;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gRPC health service (grpc.health.v1, kept for clients; the kubelet probes
 * actuator's groups) follows readiness from the first moment. grpc-java's
 * HealthStatusManager starts the whole-server status ({@code ""}) at SERVING, and Spring
 * gRPC replaces it with the application's health only after
 * {@code spring.grpc.server.health.schedule.delay}: until then the port answered SERVING
 * while MongoDB was unreachable and readiness said DOWN. Here it starts at NOT_SERVING,
 * before the server opens its port; the schedule (delay 0s in application.yaml) then
 * keeps it equal to the health.
 */
@Configuration(proxyBeanMethods = false)
class GrpcHealthConfiguration {

	@Bean
	InitializingBean grpcHealthStartsNotServing(HealthStatusManager health) {
		return () -> health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
	}

}
