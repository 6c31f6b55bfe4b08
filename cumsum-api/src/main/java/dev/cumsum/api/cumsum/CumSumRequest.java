package dev.cumsum.api.cumsum;

/** A parsed {@code {"arr":[...],"mode":"..."}} body. */
record CumSumRequest(Mode mode, NumberArray values) {
}
