package dev.cumsum.api.cumsum;

/**
 * A parsed {@code {"arr":[...],"mode":"..."}} body.
 *
 * @param resultDigits upper bound on the digits of the result, known before computing it
 */
record CumSumRequest(Mode mode, NumberArray values, long resultDigits) {
}
