package dev.cumsum.api.cumsum;

import java.io.InputStream;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.cumsum.api.cumsum.NumberArray.Decimals;
import dev.cumsum.api.cumsum.NumberArray.Longs;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;

import org.springframework.stereotype.Component;

/**
 * Streams the body through a JSON tokenizer, so limits apply while reading and numbers
 * are taken exactly from their text (never through double). Accepts exactly
 * {@code {"arr":[numbers...],"mode":"man"|"np"}}, mode optional.
 */
@Component
class CumSumRequestReader {

	static final String SHAPE = "expected {\"arr\":[1,2,3],\"mode\":\"man\"}";

	private final JsonFactory json = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

	private final RequestLimits limits;

	CumSumRequestReader(RequestLimits limits) {
		this.limits = limits;
	}

	/**
	 * Reads and checks the body, reserving its admission cost on the ticket as it goes:
	 * the body by its Content-Length up front (or as it arrives), the elements as they
	 * are parsed, and the result once its size is bounded, all before anything is
	 * computed.
	 */
	CumSumRequest read(InputStream body, long contentLength, Admission.Ticket ticket) {
		long maxBytes = this.limits.maxBodySize().toBytes();
		if (contentLength > maxBytes) {
			throw RequestRejectedException.tooLarge("request body is larger than " + maxBytes + " bytes");
		}
		long prepaid = Math.max(0, contentLength);
		ticket.reserve(RequestCost.body(prepaid));
		LimitedInputStream limited = new LimitedInputStream(body, maxBytes, ticket, prepaid);
		CumSumRequest request;
		try (JsonParser parser = this.json.createParser(ObjectReadContext.empty(), limited)) {
			request = readObject(parser, ticket);
		}
		catch (StreamConstraintsException ex) {
			throw RequestRejectedException.invalid("JSON exceeds a parser limit: " + ex.getOriginalMessage());
		}
		catch (JacksonException ex) {
			throw RequestRejectedException.invalid("malformed JSON: " + ex.getOriginalMessage());
		}
		long perByte = this.limits.maxResultDigitsPerBodyByte();
		if (request.resultDigits() > perByte * limited.count()) {
			throw RequestRejectedException.tooLarge("the result would hold up to " + request.resultDigits()
					+ " digits, more than " + perByte + " per byte of the request body (" + limited.count()
					+ " bytes); numbers of a narrower range (or fewer of them) keep the answer in proportion");
		}
		if (request.values() instanceof Decimals) {
			ticket.reserve(RequestCost.decimals(request.values().length(), request.resultDigits()));
		}
		return request;
	}

	private CumSumRequest readObject(JsonParser parser, Admission.Ticket ticket) {
		JsonToken first = parser.nextToken();
		if (first == null) {
			throw RequestRejectedException.invalid("request body is empty; " + SHAPE);
		}
		if (first != JsonToken.START_OBJECT) {
			throw RequestRejectedException.invalid("request body must be a JSON object; " + SHAPE);
		}
		Mode mode = Mode.DEFAULT;
		Parsed values = null;
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String name = parser.currentName();
			JsonToken value = parser.nextToken();
			switch (name) {
				case "arr" -> values = readArray(parser, value, ticket);
				case "mode" -> {
					if (value != JsonToken.VALUE_STRING) {
						throw RequestRejectedException.invalid("\"mode\" must be the string " + Mode.CHOICES);
					}
					mode = Mode.parse(parser.getString());
				}
				default -> throw RequestRejectedException.invalid("unknown field \"" + name + "\"; " + SHAPE);
			}
		}
		if (parser.nextToken() != null) {
			throw RequestRejectedException.invalid("unexpected content after the JSON object");
		}
		if (values == null) {
			throw RequestRejectedException.invalid("missing field \"arr\"; " + SHAPE);
		}
		return new CumSumRequest(mode, values.values(), values.resultDigits());
	}

	/** Elements reserved at a time while parsing. */
	private static final int ELEMENT_STEP = 1024;

	private Parsed readArray(JsonParser parser, JsonToken start, Admission.Ticket ticket) {
		if (start != JsonToken.START_ARRAY) {
			throw RequestRejectedException.invalid("\"arr\" must be an array of numbers, was " + describe(start));
		}
		long[] longs = new long[16];
		List<BigDecimal> decimals = null;
		int n = 0;
		DigitSpan span = new DigitSpan();
		// saturating sum of |value|: while it fits in a long, no running sum can overflow
		long magnitude = 0;
		JsonToken token;
		while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
			if (n == this.limits.maxElements()) {
				throw RequestRejectedException
					.tooLarge("\"arr\" has more than " + this.limits.maxElements() + " elements");
			}
			if (n % ELEMENT_STEP == 0) {
				ticket.reserve(RequestCost.longs(ELEMENT_STEP));
			}
			if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
				throw RequestRejectedException.invalid("arr[" + n + "] must be a number, was " + describe(token));
			}
			boolean fitsLong = token == JsonToken.VALUE_NUMBER_INT
					&& parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
			if (decimals == null && fitsLong) {
				if (n == longs.length) {
					longs = Arrays.copyOf(longs, n * 2);
				}
				long value = parser.getLongValue();
				longs[n++] = value;
				magnitude = (value == Long.MIN_VALUE) ? Long.MAX_VALUE : saturatedAdd(magnitude, Math.abs(value));
				continue;
			}
			if (decimals == null) {
				decimals = new ArrayList<>(Math.max(16, n * 2));
				for (int i = 0; i < n; i++) {
					BigDecimal value = BigDecimal.valueOf(longs[i]);
					span.add(value);
					decimals.add(value);
				}
			}
			BigDecimal value = decimal(parser, n);
			checkDigits(value, n);
			span.add(value);
			decimals.add(value);
			n++;
		}
		if (decimals == null) {
			// a sum may overflow into decimals only when the magnitudes add up beyond a
			// long
			boolean mayOverflow = magnitude == Long.MAX_VALUE;
			long digits = mayOverflow ? (long) n * (19 + DigitSpan.growth(n)) : 20L * n;
			if (mayOverflow) {
				ticket.reserve(RequestCost.decimals(n, digits));
			}
			return new Parsed(new Longs(Arrays.copyOf(longs, n)), digits);
		}
		long digits = span.resultDigits(n);
		if (digits > this.limits.maxResultDigits()) {
			throw RequestRejectedException.tooLarge("the result would hold more than " + this.limits.maxResultDigits()
					+ " digits; use fewer elements or numbers of a narrower range");
		}
		return new Parsed(new Decimals(decimals.toArray(BigDecimal[]::new)), digits);
	}

	private static long saturatedAdd(long a, long b) {
		long sum = a + b;
		return (sum < 0) ? Long.MAX_VALUE : sum;
	}

	private record Parsed(NumberArray values, long resultDigits) {
	}

	private BigDecimal decimal(JsonParser parser, int index) {
		try {
			return parser.getDecimalValue();
		}
		catch (NumberFormatException ex) {
			// an exponent beyond int range: not even a BigDecimal can hold it
			throw outOfRange(index);
		}
	}

	private RequestRejectedException outOfRange(int index) {
		int max = this.limits.maxDigits();
		return RequestRejectedException.invalid("arr[" + index + "] is outside the supported range: at most " + max
				+ " integer digits and " + max + " decimal places");
	}

	private void checkDigits(BigDecimal value, int index) {
		int max = this.limits.maxDigits();
		if (value.scale() > max || (long) value.precision() - value.scale() > max) {
			throw outOfRange(index);
		}
	}

	private static String describe(JsonToken token) {
		return switch (token) {
			case START_ARRAY -> "a nested array";
			case START_OBJECT -> "an object";
			case VALUE_STRING -> "a string";
			case VALUE_TRUE, VALUE_FALSE -> "a boolean";
			case VALUE_NULL -> "null";
			default -> token.name();
		};
	}

	/**
	 * Upper bound on the digits of every partial sum: widest integer part plus deepest
	 * fraction.
	 */
	private static final class DigitSpan {

		private int integerDigits;

		private int fractionDigits;

		void add(BigDecimal value) {
			this.integerDigits = Math.max(this.integerDigits, value.precision() - value.scale());
			this.fractionDigits = Math.max(this.fractionDigits, value.scale());
		}

		long resultDigits(int n) {
			return (long) n * (this.integerDigits + growth(n) + this.fractionDigits);
		}

		/**
		 * A sum of n values has at most log10(n) more integer digits than the widest
		 * value.
		 */
		static int growth(int n) {
			return (int) Math.ceil(Math.log10(Math.max(n, 1))) + 1;
		}

	}

}
