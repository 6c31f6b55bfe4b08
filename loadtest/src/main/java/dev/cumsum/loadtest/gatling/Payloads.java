package dev.cumsum.loadtest.gatling;

import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Endless feeder of random request bodies. Each record carries the JSON body and the
 * values a correct answer must have: the length of {@code data} and its last element (the
 * sum of the array).
 */
final class Payloads implements Iterator<Map<String, Object>> {

	private final int length;

	private final String mode;

	private final SplittableRandom random;

	Payloads(int length, String mode, long seed) {
		if (length < 1) {
			throw new IllegalArgumentException("arrayLength must be >= 1");
		}
		this.length = length;
		this.mode = mode;
		this.random = new SplittableRandom(seed);
	}

	@Override
	public boolean hasNext() {
		return true;
	}

	@Override
	public synchronized Map<String, Object> next() {
		StringBuilder body = new StringBuilder(length * 5 + 32).append("{\"arr\":[");
		long sum = 0;
		for (int i = 0; i < length; i++) {
			// small signed integers: exact in any numeric representation the API may
			// answer with
			int v = random.nextInt(-1000, 1001);
			sum += v;
			if (i > 0) {
				body.append(',');
			}
			body.append(v);
		}
		body.append("],\"mode\":\"").append(mode).append("\"}");
		return Map.of("body", body.toString(), "expectedLength", length, "expectedLast", (double) sum);
	}

}
