package dev.cumsum.api.cumsum;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.SplittableRandom;

import dev.cumsum.api.cumsum.NumberArray.Decimals;
import dev.cumsum.api.cumsum.NumberArray.Longs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Examples of {@link CumSum}, each run in both modes. */
class CumSumTests {

	private static final int LARGE = 200_000;

	@ParameterizedTest
	@EnumSource(Mode.class)
	void smallLongsStayLongs(Mode mode) {
		assertThat(CumSum.compute(mode, new Longs(new long[] { 1, 2, 3, -10 }))).isInstanceOfSatisfying(Longs.class,
				(sums) -> assertThat(sums.values()).containsExactly(1, 3, 6, -4));
	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	void overflowPastLongMaxIsExact(Mode mode) {
		assertThat(texts(CumSum.compute(mode, new Longs(new long[] { Long.MAX_VALUE, 1 }))))
			.containsExactly("9223372036854775807", "9223372036854775808");
	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	void overflowPastLongMinIsExact(Mode mode) {
		assertThat(texts(CumSum.compute(mode, new Longs(new long[] { Long.MIN_VALUE, -1, Long.MIN_VALUE }))))
			.containsExactly("-9223372036854775808", "-9223372036854775809", "-18446744073709551617");
	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	void sumsThatComeBackIntoRangeAreStillExact(Mode mode) {
		assertThat(texts(CumSum.compute(mode, new Longs(new long[] { Long.MAX_VALUE, 1, -1 }))))
			.containsExactly("9223372036854775807", "9223372036854775808", "9223372036854775807");
	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	void decimalsAreExactNotBinaryFloatingPoint(Mode mode) {
		assertThat(texts(CumSum.compute(mode, decimals("0.1", "0.2")))).containsExactly("0.1", "0.3");
		assertThat(texts(CumSum.compute(mode, decimals("0.10", "0.2", "1E+3")))).containsExactly("0.10", "0.30",
				"1000.30");
	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	void emptyArraysGiveEmptyResults(Mode mode) {
		assertThat(CumSum.compute(mode, new Longs(new long[0]))).isInstanceOfSatisfying(Longs.class,
				(sums) -> assertThat(sums.values()).isEmpty());
		assertThat(CumSum.compute(mode, new Decimals(new BigDecimal[0]))).isInstanceOfSatisfying(Decimals.class,
				(sums) -> assertThat(sums.values()).isEmpty());
	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	void singleElementIsItself(Mode mode) {
		assertThat(texts(CumSum.compute(mode, new Longs(new long[] { Long.MIN_VALUE }))))
			.containsExactly("-9223372036854775808");
		assertThat(texts(CumSum.compute(mode, decimals("-0.000")))).containsExactly("0.000");
	}

	/**
	 * Large enough that {@code Arrays.parallelPrefix} splits the work into many tasks.
	 */
	@ParameterizedTest
	@EnumSource(Mode.class)
	void largeLongArraysMatchTheReference(Mode mode) {
		SplittableRandom random = new SplittableRandom(42);
		long[] values = random.longs(LARGE, -1_000_000_000_000L, 1_000_000_000_000L).toArray();
		NumberArray sums = CumSum.compute(mode, new Longs(values.clone()));
		assertThat(sums).isInstanceOf(Longs.class);
		CumSumReference.assertSameElements(sums, CumSumReference.of(values));
	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	void largeLongArraysThatOverflowMatchTheReference(Mode mode) {
		SplittableRandom random = new SplittableRandom(7);
		long[] values = random.longs(LARGE, Long.MAX_VALUE / 4, Long.MAX_VALUE).toArray();
		NumberArray sums = CumSum.compute(mode, new Longs(values.clone()));
		assertThat(sums).isInstanceOf(Decimals.class);
		CumSumReference.assertSameElements(sums, CumSumReference.of(values));
	}

	@ParameterizedTest
	@EnumSource(Mode.class)
	void largeDecimalArraysMatchTheReference(Mode mode) {
		SplittableRandom random = new SplittableRandom(3);
		BigDecimal[] values = new BigDecimal[LARGE];
		for (int i = 0; i < LARGE; i++) {
			values[i] = BigDecimal.valueOf(random.nextLong(), random.nextInt(0, 20));
		}
		NumberArray sums = CumSum.compute(mode, new Decimals(values.clone()));
		CumSumReference.assertSameElements(((Decimals) sums).values(), CumSumReference.of(values));
	}

	/**
	 * Every running sum fits in a long, but a middle segment ({@code MAX + 1}) does not:
	 * the parallel prefix overflows on a partial sum that the sequential loop never
	 * forms.
	 */
	@Test
	void npGivesLongsWheneverManDoes() {
		long[] values = new long[LARGE];
		values[0] = -1;
		values[LARGE / 2 + 7] = Long.MAX_VALUE;
		values[LARGE / 2 + 8] = 1;
		NumberArray man = CumSum.compute(Mode.MAN, new Longs(values.clone()));
		NumberArray np = CumSum.compute(Mode.NP, new Longs(values.clone()));
		assertThat(man).isInstanceOf(Longs.class);
		assertThat(np).isInstanceOf(Longs.class);
		assertThat(Arrays.mismatch(((Longs) np).values(), ((Longs) man).values())).isEqualTo(-1);
	}

	private static NumberArray decimals(String... values) {
		return new Decimals(Arrays.stream(values).map(BigDecimal::new).toArray(BigDecimal[]::new));
	}

	private static String[] texts(NumberArray numbers) {
		return Arrays.stream(CumSumReference.decimals(numbers)).map(BigDecimal::toString).toArray(String[]::new);
	}

}
