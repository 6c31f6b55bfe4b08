package dev.cumsum.api.cumsum;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.JsonNodeFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.unit.DataSize;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented proportion between a body and its answer: for any body the reader
 * accepts, the result holds at most {@code max-result-digits-per-body-byte} (16) digits
 * per body byte (digits as the numbers are written out plainly), and the whole answer at
 * most 21 bytes per body byte plus its fixed fields. Bodies are drawn to hit the edges:
 * wide and deep numbers, exponents, long overflow, tiny numbers mixed with huge ones.
 */
class ResultSizePropertiesTests {

	private static final int PER_BYTE = 16;

	/** Sums of 1000-digit numbers are longer than Jackson's default number limit. */
	private static final JsonMapper JSON = JsonMapper
		.builder(JsonFactory.builder()
			.streamReadConstraints(StreamReadConstraints.builder().maxNumberLength(Integer.MAX_VALUE).build())
			.build())
		.enable(JsonNodeFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
		.build();

	private final RequestLimits limits = new RequestLimits(DataSize.ofMegabytes(1), 100_000, 1000, 8_000_000, PER_BYTE);

	private final CumSumRequestReader reader = new CumSumRequestReader(this.limits);

	private final Admission admission = new Admission(
			new AdmissionProperties(0.375, DataSize.ofGigabytes(4), 1000, Duration.ofSeconds(1)),
			new SimpleMeterRegistry());

	@Property(tries = 300)
	@StatisticsReport(onFailureOnly = true)
	void anAcceptedBodysAnswerStaysInProportion(@ForAll("bodies") String body) {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		CumSumRequest request;
		try (Admission.Ticket ticket = this.admission.admit(new ApiCall("test"))) {
			try {
				request = this.reader.read(new ByteArrayInputStream(bytes), bytes.length, ticket);
			}
			catch (ErrorResponseException rejected) {
				assertThat(rejected.getStatusCode().value()).isIn(400, 413);
				Statistics.label("answer").collect(String.valueOf(rejected.getStatusCode().value()));
				return;
			}
			Statistics.label("answer").collect(request.values() instanceof NumberArray.Decimals ? "decimals" : "longs");
			NumberArray sums = CumSum.compute(request.mode(), request.values());
			byte[] answer = CumSumResponseWriter.write(sums, 123_456_789L, 1_795_431_315L,
					"01a2080b-0000-7000-8000-000000000000");

			long digits = 0;
			for (JsonNode value : JSON.readTree(answer).get("data")) {
				digits += plainDigits(value.decimalValue());
			}
			assertThat(digits).as("result digits for a body of %d bytes", bytes.length)
				.isLessThanOrEqualTo(PER_BYTE * (long) bytes.length)
				.isLessThanOrEqualTo(request.resultDigits());
			assertThat((long) answer.length).as("answer bytes")
				.isLessThanOrEqualTo((PER_BYTE + 5L) * bytes.length + 256);
			// and the admission estimate covered it
			assertThat(ticket.reserved()).isGreaterThanOrEqualTo(RequestCost.body(bytes.length));
		}
	}

	/**
	 * The drawn bodies reach both sides of the limit, and both kinds of result (1,000
	 * draws and thresholds well under the shares seen, so that a random seed does not
	 * fail it).
	 */
	@Property(tries = 1000)
	@StatisticsReport(onFailureOnly = true)
	void theBodiesCoverAcceptedAndRejected(@ForAll("bodies") String body) {
		String answer;
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		try (Admission.Ticket ticket = this.admission.admit(new ApiCall("test"))) {
			CumSumRequest request = this.reader.read(new ByteArrayInputStream(bytes), bytes.length, ticket);
			answer = (request.values() instanceof NumberArray.Decimals) ? "decimals" : "longs";
		}
		catch (ErrorResponseException rejected) {
			answer = String.valueOf(rejected.getStatusCode().value());
		}
		Statistics.label("answer").collect(answer);
		Statistics.label("answer").coverage((coverage) -> {
			coverage.check("decimals").percentage((p) -> p >= 10);
			coverage.check("longs").percentage((p) -> p >= 2);
			coverage.check("413").percentage((p) -> p >= 2);
		});
	}

	/**
	 * Digits of the number written out without exponent: integer digits (at least one)
	 * plus decimal places.
	 */
	private static long plainDigits(BigDecimal value) {
		return Math.max(1, value.precision() - value.scale()) + Math.max(0, value.scale());
	}

	@Provide
	Arbitrary<String> bodies() {
		Arbitrary<String> number = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.longs().map(String::valueOf)),
				Tuple.of(2, Arbitraries.integers().between(-9, 9).map(String::valueOf)),
				Tuple.of(2, Arbitraries.longs().between(Long.MAX_VALUE - 10, Long.MAX_VALUE).map(String::valueOf)),
				Tuple.of(3, decimal().map(String::valueOf)), Tuple.of(2, exponent()),
				Tuple.of(1, Arbitraries.integers().between(1, 1000).map((digits) -> "9".repeat(digits))));
		Arbitrary<List<String>> elements = Arbitraries.oneOf(number.list().ofMaxSize(40),
				number.list().ofMinSize(200).ofMaxSize(1_500));
		return Combinators.combine(elements, Arbitraries.of("man", "np"))
			.as((values, mode) -> "{\"arr\":[" + String.join(",", values) + "],\"mode\":\"" + mode + "\"}");
	}

	/** 1e999, -5E-300, 7.25e+12, ...: few body bytes, many digits. */
	private static Arbitrary<String> exponent() {
		return Combinators
			.combine(Arbitraries.of("1", "-1", "7.25", "9", "-3.5"), Arbitraries.of("e", "E", "e+", "E-", "e-"),
					Arbitraries.integers().between(0, 1100))
			.as((mantissa, e, exp) -> mantissa + e + exp);
	}

	private static Arbitrary<BigDecimal> decimal() {
		BigInteger bound = BigInteger.TEN.pow(60);
		return Combinators
			.combine(Arbitraries.bigIntegers().between(bound.negate(), bound), Arbitraries.integers().between(-50, 200))
			.as(BigDecimal::new);
	}

}
