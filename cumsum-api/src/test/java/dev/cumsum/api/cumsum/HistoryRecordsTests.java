package dev.cumsum.api.cumsum;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.stream.Collectors;

import dev.cumsum.api.cumsum.NumberArray.Decimals;
import dev.cumsum.api.cumsum.NumberArray.Longs;
import dev.cumsum.transaction.v1.Record;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The record handed to transaction-api, and its input digest against the documented
 * encoding.
 */
class HistoryRecordsTests {

	/**
	 * The encoding as README documents it, written independently of the implementation.
	 */
	private static byte[] documented(String mode, String... values) throws Exception {
		StringBuilder text = new StringBuilder(mode).append('\n');
		for (String value : values) {
			text.append(value).append('\n');
		}
		return MessageDigest.getInstance("SHA-256").digest(text.toString().getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void theRecordCarriesTheDigestOfModeAndInput() throws Exception {
		Record record = HistoryRecords.of("id-1", Instant.parse("2026-01-01T00:00:00Z"), Mode.MAN,
				new Longs(new long[] { 1, 2, 3 }), new Longs(new long[] { 1, 3, 6 }), 5, "pod", "");

		assertThat(record.getInputDigest().toByteArray()).isEqualTo(documented("man", "1", "2", "3")).hasSize(32);
	}

	@Test
	void integersAtTheEdgesAndDecimalsUseTheirExactText() throws Exception {
		assertThat(HistoryRecords.inputDigest(Mode.NP,
				new Longs(new long[] { Long.MIN_VALUE, -1, 0, Long.MAX_VALUE, -9_000_000_000L })))
			.isEqualTo(documented("np", "-9223372036854775808", "-1", "0", "9223372036854775807", "-9000000000"));
		assertThat(HistoryRecords.inputDigest(Mode.MAN,
				new Decimals(new BigDecimal[] { new BigDecimal("0.1"), new BigDecimal("1E+2"),
						new BigDecimal("9223372036854775808"), new BigDecimal("1.0") })))
			.isEqualTo(documented("man", "0.1", "1E+2", "9223372036854775808", "1.0"));
		assertThat(HistoryRecords.inputDigest(Mode.MAN, new Longs(new long[0]))).isEqualTo(documented("man"));
	}

	@Test
	void anotherModeOrAnotherInputIsAnotherDigest() {
		byte[] man = HistoryRecords.inputDigest(Mode.MAN, new Longs(new long[] { 1, 2 }));
		assertThat(HistoryRecords.inputDigest(Mode.NP, new Longs(new long[] { 1, 2 }))).isNotEqualTo(man);
		assertThat(HistoryRecords.inputDigest(Mode.MAN, new Longs(new long[] { 12 }))).isNotEqualTo(man);
		assertThat(HistoryRecords.inputDigest(Mode.MAN, new Longs(new long[] { 2, 1 }))).isNotEqualTo(man);
		assertThat(HistoryRecords.inputDigest(Mode.MAN,
				new Decimals(new BigDecimal[] { new BigDecimal("1.0"), new BigDecimal("2") })))
			.isNotEqualTo(man);
	}

	@Test
	void inputsLongerThanTheDigestBufferMatchTheDocumentedEncoding() throws Exception {
		// 2,000 lines of up to 21 bytes: several times the 8 KiB the digest is fed in
		long[] values = new long[2000];
		for (int i = 0; i < values.length; i++) {
			values[i] = (i % 2 == 0) ? Long.MIN_VALUE + i : -i * 1_000_000_007L;
		}
		String[] texts = Arrays.stream(values).mapToObj(Long::toString).toArray(String[]::new);
		assertThat(HistoryRecords.inputDigest(Mode.MAN, new Longs(values))).isEqualTo(documented("man", texts));
	}

	@Property(tries = 200)
	void anyLongsMatchTheDocumentedEncoding(@ForAll long[] values) throws Exception {
		String[] texts = Arrays.stream(values).mapToObj(Long::toString).toArray(String[]::new);
		assertThat(HistoryRecords.inputDigest(Mode.NP, new Longs(values)))
			.as(Arrays.stream(texts).collect(Collectors.joining(",")))
			.isEqualTo(documented("np", texts));
	}

}
