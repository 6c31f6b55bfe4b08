package dev.cumsum.api.cumsum;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Limits on one {@code POST /api} request, enforced while the body is read.
 *
 * @param maxBodySize larger bodies get 413
 * @param maxElements arrays with more elements get 413
 * @param maxDigits a number with more integer digits or more decimal places than this
 * gets 400 (exact arithmetic on 1e999999999 would otherwise build a billion-digit result)
 * @param maxResultDigits 413 when the result would hold more digits than this in total
 * (the stored record, input plus result, must fit MongoDB's 16 MiB document limit)
 * @param maxResultDigitsPerBodyByte 413 when the result would hold more digits than this
 * many per byte of the body: the answer (and the record) stays proportional to what the
 * client sent, so a small body cannot demand a huge answer ({@code [1e-999,1e999,...]}
 * would give 333 digits per byte)
 */
@ConfigurationProperties("cumsum.limits")
record RequestLimits(@DefaultValue("1MB") DataSize maxBodySize, @DefaultValue("100000") int maxElements,
		@DefaultValue("1000") int maxDigits, @DefaultValue("8000000") long maxResultDigits,
		@DefaultValue("16") int maxResultDigitsPerBodyByte) {
}
