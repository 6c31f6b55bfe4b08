package dev.cumsum.api.cumsum;

/**
 * The estimated peak heap of one {@code POST /api} request, the unit of admission
 * control. Each term is known before the work it stands for starts: the body as it is
 * read (or from its Content-Length), the elements as they are parsed, the result digits
 * once the array is read and before anything is computed. Estimates are upper bounds
 * measured against this code's data structures (64-bit JVM, compressed references,
 * compact strings); README, "Admission control".
 */
final class RequestCost {

	/** Request, response and parser objects, buffers, the virtual thread's stack. */
	static final long PER_REQUEST = 16 * 1024;

	/**
	 * Jackson's input and text buffers, and the digits of the input numbers (BigInteger
	 * and String forms).
	 */
	static final long PER_BODY_BYTE = 4;

	/**
	 * An integer element: input and result {@code long}s with the array growth while
	 * reading, the record's value lists, and its up to 20 characters of answer (buffer
	 * growth included).
	 */
	static final long PER_LONG_ELEMENT = 128;

	/**
	 * A decimal element: input and result BigDecimal objects, their Strings in the record
	 * and their references; their digits are counted by {@link #PER_RESULT_DIGIT} and
	 * {@link #PER_BODY_BYTE}.
	 */
	static final long PER_DECIMAL_ELEMENT = 256;

	/**
	 * A digit of a decimal result: its BigInteger form (0.42 bytes), its String (1), the
	 * answer being written (up to 3 while its buffer doubles and is copied) and the
	 * record's encoding (1).
	 */
	static final long PER_RESULT_DIGIT = 6;

	private RequestCost() {
	}

	static long body(long bytes) {
		return PER_BODY_BYTE * bytes;
	}

	static long longs(long elements) {
		return PER_LONG_ELEMENT * elements;
	}

	/**
	 * A decimal result: its elements and digits (what the elements already reserved as
	 * longs is kept).
	 */
	static long decimals(long elements, long resultDigits) {
		return PER_DECIMAL_ELEMENT * elements + PER_RESULT_DIGIT * resultDigits;
	}

}
