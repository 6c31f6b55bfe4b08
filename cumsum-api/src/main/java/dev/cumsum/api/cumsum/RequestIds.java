package dev.cumsum.api.cumsum;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Request ids: a client's {@code X-Request-Id} is the idempotency key; otherwise a UUIDv7, whose
 * time-ordered prefix keeps MongoDB's {@code _id} index appends local.
 */
final class RequestIds {

	static final String HEADER = "X-Request-Id";

	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	private RequestIds() {
	}

	static boolean isValid(String id) {
		return VALID.matcher(id).matches();
	}

	static String generate() {
		ThreadLocalRandom random = ThreadLocalRandom.current();
		long millis = System.currentTimeMillis();
		long msb = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
		long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
		return new UUID(msb, lsb).toString();
	}

}
