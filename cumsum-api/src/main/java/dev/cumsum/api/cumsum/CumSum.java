package dev.cumsum.api.cumsum;

import dev.cumsum.api.cumsum.NumberArray.Decimals;
import dev.cumsum.api.cumsum.NumberArray.Longs;

/**
 * Exact cumulative sums with the algorithm of a {@link Mode}. The long path detects
 * overflow ({@link Math#addExact}) and then redoes the sum in BigDecimal, so
 * {@code [Long.MAX_VALUE, 1]} gives {@code 9223372036854775808} instead of wrapping, and
 * {@code [0.1, 0.2]} gives {@code [0.1, 0.3]}.
 */
final class CumSum {

	private CumSum() {
	}

	static NumberArray compute(Mode mode, NumberArray input) {
		return switch (input) {
			case Longs longs -> {
				try {
					yield new Longs(mode.prefixSums(longs.values()));
				}
				catch (ArithmeticException overflow) {
					yield exactLongsOrDecimals(mode, longs);
				}
			}
			case Decimals decimals -> new Decimals(mode.prefixSums(decimals.values()));
		};
	}

	/**
	 * A partial sum of another algorithm can overflow where no prefix does (the parallel
	 * prefix of {@code [-1, MAX, 1]}): only a sequential overflow means the result needs
	 * decimals, so every mode returns the same kind.
	 */
	private static NumberArray exactLongsOrDecimals(Mode mode, Longs longs) {
		if (mode != Mode.MAN) {
			try {
				return new Longs(Mode.MAN.prefixSums(longs.values()));
			}
			catch (ArithmeticException overflow) {
				// falls through to decimals
			}
		}
		return compute(mode, longs.toDecimals());
	}

}
