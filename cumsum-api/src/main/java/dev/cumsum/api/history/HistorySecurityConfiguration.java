package dev.cumsum.api.history;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.util.StringUtils;

/**
 * The history is readable only with the bearer token ({@code cumsum.history.token}). One
 * filter chain, matching only {@code /api/transactions/**}: {@code POST /api} and the
 * actuator endpoints on the management port pass no authentication at all. Stateless: no
 * session, no CSRF (the endpoints are GETs with a header credential), no saved request.
 * Without a valid token: 401 problem+json with {@code WWW-Authenticate: Bearer}.
 */
// a web concern only: an application context without a servlet server (the gRPC client's
// own
// tests) has no HttpSecurity and no history endpoints to protect
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class HistorySecurityConfiguration {

	private static final Logger log = LoggerFactory.getLogger(HistorySecurityConfiguration.class);

	/**
	 * Servlet URL patterns of the reads: Spring Security's filter runs for these only.
	 */
	static final List<String> HISTORY_PATHS = List.of("/api/transactions", "/api/transactions/*");

	/**
	 * Registers Spring Security's filter for the history paths only (Boot maps it to
	 * every path): {@code POST /api} never passes through it, so it costs the API nothing
	 * (no firewall, no matching) and its traces keep the HTTP server span as the current
	 * one.
	 */
	@Bean
	static BeanPostProcessor historyOnlySecurityFilter() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessBeforeInitialization(Object bean, String name) {
				if (bean instanceof DelegatingFilterProxyRegistrationBean registration
						&& "securityFilterChainRegistration".equals(name)) {
					registration.setUrlPatterns(HISTORY_PATHS);
				}
				return bean;
			}

		};
	}

	/**
	 * The token check is too small to be worth spans of its own inside every history
	 * read's trace.
	 */
	@Bean
	SecurityObservationSettings noSecurityObservations() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	HistoryTokenAuthenticationProvider historyTokenAuthenticationProvider(HistoryAuthProperties properties) {
		String token = properties.token();
		if (!StringUtils.hasText(token)) {
			byte[] random = new byte[24];
			new SecureRandom().nextBytes(random);
			token = HexFormat.of().formatHex(random);
			log.warn("cumsum.history.token is not set: reading /api/transactions needs this generated token "
					+ "(valid until this process stops): {}", token);
		}
		return new HistoryTokenAuthenticationProvider(token.strip());
	}

	@Bean
	SecurityFilterChain historyReads(HttpSecurity http, HistoryTokenAuthenticationProvider tokens) throws Exception {
		HistoryAuthenticationEntryPoint entryPoint = new HistoryAuthenticationEntryPoint();
		return http.securityMatcher("/api/transactions", "/api/transactions/**")
			.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.addFilterBefore(new HistoryTokenFilter(new ProviderManager(tokens), entryPoint), AuthorizationFilter.class)
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(entryPoint))
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf(AbstractHttpConfigurer::disable)
			.requestCache(AbstractHttpConfigurer::disable)
			.formLogin(AbstractHttpConfigurer::disable)
			.httpBasic(AbstractHttpConfigurer::disable)
			.logout(AbstractHttpConfigurer::disable)
			.anonymous(AbstractHttpConfigurer::disable)
			.build();
	}

	/** Compares tokens in constant time. */
	static boolean sameToken(String expected, String given) {
		return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
	}

	static BadCredentialsException invalidToken() {
		return new BadCredentialsException("the bearer token is not valid");
	}

}
