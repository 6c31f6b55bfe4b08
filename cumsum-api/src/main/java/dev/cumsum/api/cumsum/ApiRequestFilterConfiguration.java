package dev.cumsum.api.cumsum;

import jakarta.servlet.DispatcherType;

import io.micrometer.tracing.Tracer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ApiRequestFilterConfiguration {

	@Bean
	FilterRegistrationBean<ApiRequestFilter> apiRequestFilter(ApiRequestMetrics metrics, ApiRequestTimers timers,
			ObjectProvider<Tracer> tracer, RequestLimits limits, CumSumController controller) {
		FilterRegistrationBean<ApiRequestFilter> registration = new FilterRegistrationBean<>(
				new ApiRequestFilter(metrics, timers, tracer.getIfAvailable(() -> Tracer.NOOP), limits, controller));
		registration.addUrlPatterns(CumSumController.PATH, CumSumController.PATH_SLASH);
		// the client's request only (as a OncePerRequestFilter skips error and async
		// dispatches)
		registration.setDispatcherTypes(DispatcherType.REQUEST);
		return registration;
	}

}
