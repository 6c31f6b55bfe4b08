package dev.cumsum.api.history;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * 401 as an RFC 9457 problem with an RFC 6750 challenge: {@code error="invalid_token"}
 * when a token was sent and is wrong, a bare challenge when none was sent.
 */
final class HistoryAuthenticationEntryPoint implements AuthenticationEntryPoint {

	static final String REALM = "cumsum-history";

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
			throws IOException {
		boolean wrongToken = ex instanceof BadCredentialsException;
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE,
				"Bearer realm=\"" + REALM + "\"" + (wrongToken ? ", error=\"invalid_token\"" : ""));
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		String detail = wrongToken ? "the bearer token is not valid"
				: "reading the history needs Authorization: Bearer <cumsum.history.token>";
		byte[] body = ("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"" + detail
				+ "\"}")
			.getBytes(StandardCharsets.UTF_8);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

}
