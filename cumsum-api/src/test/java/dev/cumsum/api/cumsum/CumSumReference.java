package dev.cumsum.api.cumsum;

import java.math.BigDecimal;
import java.util.Arrays;

import dev.cumsum.api.cumsum.NumberArray.Decimals;
import dev.cumsum.api.cumsum.NumberArray.Longs;

/**
 * The specification of an exact cumulative sum, in BigDecimal only, and views of results
 * as decimals.
 */
final class CumSumReference {

	private CumSumReference() {
	}

	/** Running sums; the first keeps the first value's own representation. */
	static BigDecimal[] of(BigDecimal[] values) {
		BigDecimal[] sums = new BigDecimal[values.length];
		for (int i = 0; i < values.length; i++) {
			sums[i] = (i == 0) ? values[0] : sums[i - 1].add(values[i]);
		}
		return sums;
	}

	static BigDecimal[] of(long[] values) {
		return of(decimals(new Longs(values)));
	}

	/**
	 * Fails unless both arrays hold equal elements (BigDecimal equals: value and scale),
	 * naming the first difference. Linear, unlike AssertJ's containsExactly on 200,000
	 * elements.
	 */
	static void assertSameElements(Object[] actual, Object[] expected) {
		int index = Arrays.mismatch(actual, expected);
		if (index >= 0) {
			throw new AssertionError("differs at index " + index + " (lengths " + actual.length + ", " + expected.length
					+ "): " + ((index < actual.length) ? actual[index] : "<none>") + " != "
					+ ((index < expected.length) ? expected[index] : "<none>"));
		}
	}

	static void assertSameElements(NumberArray actual, BigDecimal[] expected) {
		assertSameElements(decimals(actual), expected);
	}

	static BigDecimal[] decimals(NumberArray numbers) {
		return switch (numbers) {
			case Longs longs -> Arrays.stream(longs.values()).mapToObj(BigDecimal::valueOf).toArray(BigDecimal[]::new);
			case Decimals decimals -> decimals.values();
		};
	}

}
