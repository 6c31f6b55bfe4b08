package dev.cumsum.api.cumsum;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request ids: a client's {@code X-Request-Id} is the idempotency key; otherwise a
 * UUIDv7, whose time-ordered prefix keeps MongoDB's {@code _id} index appends local.
 */
final class RequestIds {

	static final String HEADER = "X-Request-Id";

	private static final int MAX_LENGTH = 128;

	private RequestIds() {
	}

	/**
	 * {@code [A-Za-z0-9._:-]{1,128}}, checked by hand: a regex match was a visible share
	 * of a request's CPU.
	 */
	static boolean isValid(String id) {
		int length = id.length();
		if (length == 0 || length > MAX_LENGTH) {
			return false;
		}
		for (int i = 0; i < length; i++) {
			char c = id.charAt(i);
			boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
					|| c == '_' || c == ':' || c == '-';
			if (!ok) {
				return false;
			}
		}
		return true;
	}

	static String generate() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long millis = System.currentTimeMillis();
		long msb = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
		long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(msb, lsb).toString();
	}

}
