package dev.cumsum.api.cumsum;

import java.math.BigDecimal;
import java.util.Arrays;

import dev.cumsum.api.cumsum.NumberArray.Decimals;
import dev.cumsum.api.cumsum.NumberArray.Longs;

/**
 * Exact cumulative sums. The long path detects overflow ({@link Math#addExact}) and then redoes
 * the sum in BigDecimal, so {@code [Long.MAX_VALUE, 1]} gives {@code 9223372036854775808} instead of
 * wrapping, and {@code [0.1, 0.2]} gives {@code [0.1, 0.3]}.
 */
final class CumSum {

	private CumSum() {
	}

	static NumberArray compute(Mode mode, NumberArray input) {
		return switch (input) {
			case Longs longs -> {
				try {
					yield new Longs((mode == Mode.MAN) ? sequential(longs.values()) : parallel(longs.values()));
				}
				catch (ArithmeticException overflow) {
					yield exactLongsOrDecimals(mode, longs);
				}
			}
			case Decimals decimals ->
				new Decimals((mode == Mode.MAN) ? sequential(decimals.values()) : parallel(decimals.values()));
		};
	}

	/**
	 * A partial sum of the parallel prefix can overflow where no prefix does ({@code [-1, MAX, 1]}):
	 * only a sequential overflow means the result needs decimals, so both modes return the same kind.
	 */
	private static NumberArray exactLongsOrDecimals(Mode mode, Longs longs) {
		if (mode == Mode.NP) {
			try {
				return new Longs(sequential(longs.values()));
			}
			catch (ArithmeticException overflow) {
				// falls through to decimals
			}
		}
		return compute(mode, longs.toDecimals());
	}

	private static long[] sequential(long[] values) {
		long[] sums = new long[values.length];
		long acc = 0;
		for (int i = 0; i < values.length; i++) {
			acc = Math.addExact(acc, values[i]);
			sums[i] = acc;
		}
		return sums;
	}

	private static long[] parallel(long[] values) {
		long[] sums = values.clone();
		Arrays.parallelPrefix(sums, Math::addExact);
		return sums;
	}

	private static BigDecimal[] sequential(BigDecimal[] values) {
		BigDecimal[] sums = new BigDecimal[values.length];
		BigDecimal acc = BigDecimal.ZERO;
		for (int i = 0; i < values.length; i++) {
			acc = (i == 0) ? values[0] : acc.add(values[i]);
			sums[i] = acc;
		}
		return sums;
	}

	private static BigDecimal[] parallel(BigDecimal[] values) {
		BigDecimal[] sums = values.clone();
		Arrays.parallelPrefix(sums, BigDecimal::add);
		return sums;
	}

}
