package dev.cumsum.api.cumsum;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

import dev.cumsum.api.cumsum.NumberArray.Decimals;
import dev.cumsum.api.cumsum.NumberArray.Longs;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of {@link CumSum}: for any input both modes give exactly the BigDecimal
 * reference (value and representation), whether or not a running sum leaves the long
 * range.
 */
class CumSumPropertiesTests {

	private static final long MAX = Long.MAX_VALUE;

	private static final long MIN = Long.MIN_VALUE;

	@Property(tries = 400)
	void longArraysEqualTheReferenceInBothModes(@ForAll("longArrays") long[] values) {
		BigDecimal[] expected = CumSumReference.of(values);
		for (Mode mode : Mode.values()) {
			NumberArray sums = CumSum.compute(mode, new Longs(values.clone()));
			CumSumReference.assertSameElements(sums, expected);
		}
	}

	@Property(tries = 400)
	void manGivesLongsExactlyWhenEveryRunningSumFitsInALong(@ForAll("longArrays") long[] values) {
		boolean fits = java.util.Arrays.stream(CumSumReference.of(values))
			.allMatch((sum) -> sum.compareTo(BigDecimal.valueOf(MIN)) >= 0
					&& sum.compareTo(BigDecimal.valueOf(MAX)) <= 0);
		assertThat(CumSum.compute(Mode.MAN, new Longs(values))).isInstanceOf(fits ? Longs.class : Decimals.class);
	}

	@Property(tries = 400)
	void longArraysDoNotChangeTheirInput(@ForAll("longArrays") long[] values) {
		long[] copy = values.clone();
		CumSum.compute(Mode.NP, new Longs(values));
		CumSum.compute(Mode.MAN, new Longs(values));
		assertThat(values).containsExactly(copy);
	}

	@Property(tries = 300)
	void decimalArraysEqualTheReferenceInBothModes(@ForAll("decimalArrays") List<BigDecimal> values) {
		BigDecimal[] input = values.toArray(BigDecimal[]::new);
		BigDecimal[] expected = CumSumReference.of(input);
		for (Mode mode : Mode.values()) {
			NumberArray sums = CumSum.compute(mode, new Decimals(input.clone()));
			assertThat(sums).isInstanceOf(Decimals.class);
			// equals, not compareTo: "0.30" stays "0.30", "1E+3" stays "1E+3"
			CumSumReference.assertSameElements(((Decimals) sums).values(), expected);
		}
	}

	@Property(tries = 300)
	void mixedIntegerAndDecimalArraysEqualTheReferenceInBothModes(@ForAll("mixedArrays") List<BigDecimal> values) {
		BigDecimal[] input = values.toArray(BigDecimal[]::new);
		BigDecimal[] expected = CumSumReference.of(input);
		BigDecimal[] man = ((Decimals) CumSum.compute(Mode.MAN, new Decimals(input.clone()))).values();
		BigDecimal[] np = ((Decimals) CumSum.compute(Mode.NP, new Decimals(input.clone()))).values();
		CumSumReference.assertSameElements(man, expected);
		CumSumReference.assertSameElements(np, man);
	}

	@Provide
	Arbitrary<long[]> longArrays() {
		Arbitrary<Long> nearMax = Arbitraries.longs().between(MAX - 1_000, MAX);
		Arbitrary<Long> nearMin = Arbitraries.longs().between(MIN, MIN + 1_000);
		Arbitrary<Long> small = Arbitraries.longs().between(-1_000, 1_000);
		Arbitrary<Long> element = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, Arbitraries.longs()),
				net.jqwik.api.Tuple.of(2, nearMax), net.jqwik.api.Tuple.of(2, nearMin),
				net.jqwik.api.Tuple.of(3, small));
		return Arbitraries.oneOf(element.array(long[].class).ofMaxSize(40),
				element.array(long[].class).ofMinSize(100).ofMaxSize(3_000));
	}

	@Provide
	Arbitrary<List<BigDecimal>> decimalArrays() {
		return decimal().list().ofMaxSize(300);
	}

	@Provide
	Arbitrary<List<BigDecimal>> mixedArrays() {
		Arbitrary<BigDecimal> integer = Arbitraries.longs().map(BigDecimal::valueOf);
		return Arbitraries.oneOf(decimal(), integer).list().ofMaxSize(300);
	}

	/**
	 * Any exact decimal: up to 40 digits, from 10^-30 to 10^+10 in scale (negative scales
	 * print as 1E+3).
	 */
	private static Arbitrary<BigDecimal> decimal() {
		BigInteger bound = BigInteger.TEN.pow(40);
		return Combinators
			.combine(Arbitraries.bigIntegers().between(bound.negate(), bound), Arbitraries.integers().between(-10, 30))
			.as(BigDecimal::new);
	}

}
