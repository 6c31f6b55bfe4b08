package dev.cumsum.api.history;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/** Accepts exactly the configured history token. */
final class HistoryTokenAuthenticationProvider implements AuthenticationProvider {

	private final String token;

	HistoryTokenAuthenticationProvider(String token) {
		this.token = token;
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		String given = ((Token) authentication).getCredentials();
		if (!HistorySecurityConfiguration.sameToken(this.token, given)) {
			throw HistorySecurityConfiguration.invalidToken();
		}
		return new Token(null);
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return Token.class.isAssignableFrom(authentication);
	}

	/**
	 * A bearer token as presented (unauthenticated), or the authenticated history reader
	 * (no credentials kept).
	 */
	static final class Token extends AbstractAuthenticationToken {

		private final String value;

		Token(String value) {
			super(List.of());
			this.value = value;
			setAuthenticated(value == null);
		}

		@Override
		public String getCredentials() {
			return this.value;
		}

		@Override
		public Object getPrincipal() {
			return "history-reader";
		}

	}

}
