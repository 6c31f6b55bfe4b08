package dev.cumsum.api.cumsum;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ApiRequestFilterConfiguration {

	@Bean
	FilterRegistrationBean<ApiRequestFilter> apiRequestFilter(ApiRequestMetrics metrics) {
		FilterRegistrationBean<ApiRequestFilter> registration = new FilterRegistrationBean<>(
				new ApiRequestFilter(metrics));
		registration.addUrlPatterns("/api", "/api/");
		return registration;
	}

}
