package dev.cumsum.api.cumsum;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.cumsum.api.cumsum.NumberArray.Decimals;
import dev.cumsum.api.cumsum.NumberArray.Longs;
import dev.cumsum.transaction.v1.DecimalList;
import dev.cumsum.transaction.v1.Int64List;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.Values;

/** Builds the history record handed to transaction-api. */
final class HistoryRecords {

	/** Cloned for each digest (never used itself). */
	private static final MessageDigest SHA_256 = newSha256();

	/** Most bytes {@link Lines} buffers before it feeds the digest. */
	private static final int MAX_BUFFER = 8192;

	/** Longest line of an integer: 20 characters and the line feed. */
	private static final int MAX_LONG_LINE = 21;

	private HistoryRecords() {
	}

	static Record of(String requestId, Instant receivedAt, Mode mode, NumberArray input, NumberArray output,
			long computeNs, String pod, String traceId) {
		return Record.newBuilder()
			.setRequestId(requestId)
			.setReceivedAt(
					Timestamp.newBuilder().setSeconds(receivedAt.getEpochSecond()).setNanos(receivedAt.getNano()))
			.setMode(mode.label())
			.setInput(values(input))
			.setOutput(values(output))
			.setLength(input.length())
			.setComputeNs(computeNs)
			.setPod(pod)
			.setTraceId(traceId)
			.setInputDigest(ByteString.copyFrom(inputDigest(mode, input)))
			.build();
	}

	static Values values(NumberArray numbers) {
		return switch (numbers) {
			case Longs longs -> {
				Int64List.Builder list = Int64List.newBuilder();
				for (long value : longs.values()) {
					list.addValues(value);
				}
				yield Values.newBuilder().setInts(list).build();
			}
			case Decimals decimals -> {
				DecimalList.Builder list = DecimalList.newBuilder();
				for (BigDecimal value : decimals.values()) {
					list.addValues(value.toString());
				}
				yield Values.newBuilder().setDecimals(list).build();
			}
		};
	}

	/**
	 * What makes two requests with one id "the same request": SHA-256 over the UTF-8
	 * bytes of the mode label ({@code man} or {@code np}) and then every input number in
	 * its exact stored text ({@link Long#toString(long)} for an int64 list,
	 * {@link BigDecimal#toString()} for a decimal list), each followed by a line feed. So
	 * {@code man\n1\n2\n3\n} for {@code [1,2,3]} in mode {@code man}; {@code [1.0]} and
	 * {@code [1]} differ, as their stored values do. Documented in README
	 * ("Idempotency"); transaction-api only compares the bytes.
	 */
	static byte[] inputDigest(Mode mode, NumberArray input) {
		Lines lines = new Lines(sha256(), input);
		lines.add(mode.label());
		switch (input) {
			case Longs longs -> {
				for (long value : longs.values()) {
					lines.add(value);
				}
			}
			case Decimals decimals -> {
				for (BigDecimal value : decimals.values()) {
					lines.add(value.toString());
				}
			}
		}
		return lines.digest();
	}

	/**
	 * A fresh SHA-256 digest: a copy of one made once, which saves the provider lookup
	 * and its reflective construction on every request.
	 */
	private static MessageDigest sha256() {
		try {
			return (MessageDigest) SHA_256.clone();
		}
		catch (CloneNotSupportedException ex) {
			return newSha256();
		}
	}

	private static MessageDigest newSha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("every JDK has SHA-256", ex);
		}
	}

	/**
	 * Feeds lines to the digest through one small buffer (no per-value byte arrays for
	 * integers), sized for the input: a 10-element request needs ~200 bytes, not the 8
	 * KiB the largest ones use.
	 */
	private static final class Lines {

		private final MessageDigest digest;

		private final byte[] buffer;

		private int used;

		Lines(MessageDigest digest, NumberArray input) {
			this.digest = digest;
			this.buffer = new byte[(input instanceof Longs longs)
					? (int) Math.min(MAX_BUFFER, (long) MAX_LONG_LINE * Math.max(1, longs.length())) : MAX_LONG_LINE];
		}

		void add(String text) {
			byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
			flush();
			this.digest.update(bytes);
			this.digest.update((byte) '\n');
		}

		void add(long value) {
			if (this.used > this.buffer.length - MAX_LONG_LINE) {
				flush();
			}
			if (value == Long.MIN_VALUE) {
				byte[] text = "-9223372036854775808\n".getBytes(StandardCharsets.US_ASCII);
				System.arraycopy(text, 0, this.buffer, this.used, text.length);
				this.used += text.length;
				return;
			}
			if (value < 0) {
				this.buffer[this.used++] = '-';
				value = -value;
			}
			int start = this.used;
			do {
				this.buffer[this.used++] = (byte) ('0' + (value % 10));
				value /= 10;
			}
			while (value != 0);
			for (int i = start, j = this.used - 1; i < j; i++, j--) {
				byte swap = this.buffer[i];
				this.buffer[i] = this.buffer[j];
				this.buffer[j] = swap;
			}
			this.buffer[this.used++] = '\n';
		}

		private void flush() {
			this.digest.update(this.buffer, 0, this.used);
			this.used = 0;
		}

		byte[] digest() {
			flush();
			return this.digest.digest();
		}

	}

}
