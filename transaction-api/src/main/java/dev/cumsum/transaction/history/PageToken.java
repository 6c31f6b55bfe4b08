package dev.cumsum.transaction.history;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;

/**
 * Cursor for paging newest-first: the sort key of the last record returned. Encoded
 * opaquely so clients cannot depend on its shape.
 */
record PageToken(long receivedAtMillis, String requestId) {

	static PageToken after(Date receivedAt, String requestId) {
		return new PageToken(receivedAt.getTime(), requestId);
	}

	String encode() {
		String raw = receivedAtMillis + ":" + requestId;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * @throws IllegalArgumentException when the token was not produced by
	 * {@link #encode()}
	 */
	static PageToken decode(String token) {
		String raw;
		try {
			raw = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("malformed page token");
		}
		int colon = raw.indexOf(':');
		if (colon <= 0 || colon == raw.length() - 1) {
			throw new IllegalArgumentException("malformed page token");
		}
		try {
			return new PageToken(Long.parseLong(raw.substring(0, colon)), raw.substring(colon + 1));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("malformed page token");
		}
	}

}
