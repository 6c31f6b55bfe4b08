package dev.cumsum.api.cumsum;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the cumulative sum is computed; every mode gives identical results. A mode owns its
 * label (the request's {@code "mode"} value, the {@code mode} metric label, the stored
 * {@code mode} field) and its prefix-sum algorithm: adding a mode is one constant here.
 */
public enum Mode {

	/** Sequential loop. */
	MAN {
		@Override
		long[] prefixSums(long[] values) {
			long[] sums = new long[values.length];
			long acc = 0;
			for (int i = 0; i < values.length; i++) {
				acc = Math.addExact(acc, values[i]);
				sums[i] = acc;
			}
			return sums;
		}

		@Override
		BigDecimal[] prefixSums(BigDecimal[] values) {
			BigDecimal[] sums = new BigDecimal[values.length];
			BigDecimal acc = BigDecimal.ZERO;
			for (int i = 0; i < values.length; i++) {
				acc = (i == 0) ? values[0] : acc.add(values[i]);
				sums[i] = acc;
			}
			return sums;
		}
	},

	/** Parallel prefix ({@link Arrays#parallelPrefix}), named after numpy's cumsum. */
	NP {
		@Override
		long[] prefixSums(long[] values) {
			long[] sums = values.clone();
			Arrays.parallelPrefix(sums, Math::addExact);
			return sums;
		}

		@Override
		BigDecimal[] prefixSums(BigDecimal[] values) {
			BigDecimal[] sums = values.clone();
			Arrays.parallelPrefix(sums, BigDecimal::add);
			return sums;
		}
	};

	/** The mode of a request that names none. */
	static final Mode DEFAULT = MAN;

	/** The accepted labels for messages, e.g. {@code "man" or "np"}. */
	static final String CHOICES = choices();

	private final String label = name().toLowerCase(Locale.ROOT);

	public String label() {
		return this.label;
	}

	/**
	 * Prefix sums of longs.
	 * @throws ArithmeticException when a partial sum this algorithm forms overflows
	 */
	abstract long[] prefixSums(long[] values);

	/** Exact prefix sums of decimals. */
	abstract BigDecimal[] prefixSums(BigDecimal[] values);

	static Mode parse(String value) {
		for (Mode mode : values()) {
			if (mode.label.equals(value)) {
				return mode;
			}
		}
		throw RequestRejectedException.invalid("mode must be " + CHOICES + ", was \"" + value + "\"");
	}

	private static String choices() {
		String[] quoted = Arrays.stream(values()).map(m -> "\"" + m.label() + "\"").toArray(String[]::new);
		if (quoted.length == 1) {
			return quoted[0];
		}
		return Arrays.stream(quoted, 0, quoted.length - 1).collect(Collectors.joining(", ")) + " or "
				+ quoted[quoted.length - 1];
	}

}
