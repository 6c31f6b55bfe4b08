package dev.cumsum.api.cumsum;

import java.math.BigDecimal;

/**
 * An exact list of JSON numbers: primitive longs while every value fits, otherwise
 * BigDecimals (integers keep scale 0, so they print without a decimal point or exponent).
 */
public sealed interface NumberArray {

	int length();

	record Longs(long[] values) implements NumberArray {

		@Override
		public int length() {
			return this.values.length;
		}

		Decimals toDecimals() {
			BigDecimal[] decimals = new BigDecimal[this.values.length];
			for (int i = 0; i < decimals.length; i++) {
				decimals[i] = BigDecimal.valueOf(this.values[i]);
			}
			return new Decimals(decimals);
		}

	}

	record Decimals(BigDecimal[] values) implements NumberArray {

		@Override
		public int length() {
			return this.values.length;
		}

	}

}
