package dev.cumsum.api.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Query parameters that are not valid percent-encoded UTF-8 ({@code ?after=%FF}) are the
 * client's error: 400 as a problem, before any filter or controller reads them (the
 * servlet container throws from {@code getParameter} on the first read, wherever that is,
 * which would otherwise surface as 500). POSTs are left alone: {@code POST /api} reads no
 * parameter (and is counted by its own filter), and parsing a form body here would read
 * it before its limits apply.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class QueryParameterFilter extends OncePerRequestFilter {

	static final String DETAIL = "query parameters must be valid percent-encoded UTF-8";

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return request.getQueryString() == null || "POST".equals(request.getMethod());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			request.getParameterMap();
		}
		catch (IllegalStateException ex) {
			// a malformed query string: the container throws an IllegalStateException
			// (Jetty and Tomcat alike; ProblemDetailScrubbingTests)
			response.setStatus(HttpStatus.BAD_REQUEST.value());
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.getOutputStream()
				.write(("{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"" + DETAIL
						+ "\"}")
					.getBytes(StandardCharsets.UTF_8));
			return;
		}
		chain.doFilter(request, response);
	}

}
