package dev.cumsum.api.cumsum;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Around every {@code POST /api}: resolves the request id (client's or generated), echoes it in
 * {@code X-Request-Id} on every answer including errors, and counts the request once it finished.
 */
class ApiRequestFilter extends OncePerRequestFilter {

	static final String REQUEST_ID = ApiRequestFilter.class.getName() + ".requestId";

	static final String MODE = ApiRequestFilter.class.getName() + ".mode";

	private final ApiRequestMetrics metrics;

	ApiRequestFilter(ApiRequestMetrics metrics) {
		this.metrics = metrics;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String id = request.getHeader(RequestIds.HEADER);
		if (id == null || id.isEmpty()) {
			id = RequestIds.generate();
		}
		if (RequestIds.isValid(id)) {
			request.setAttribute(REQUEST_ID, id);
			response.setHeader(RequestIds.HEADER, id);
		}
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.metrics.count((Mode) request.getAttribute(MODE), response.getStatus());
		}
	}

}
