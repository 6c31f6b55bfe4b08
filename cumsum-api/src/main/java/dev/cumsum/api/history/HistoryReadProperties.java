package dev.cumsum.api.history;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Reads of the history through {@code GET /api/transactions/**}.
 *
 * @param readTimeout the deadline of each read call to transaction-api
 * @param retryAfter the Retry-After sent with a 503 when transaction-api cannot answer
 */
@ConfigurationProperties("cumsum.history")
record HistoryReadProperties(@DefaultValue("2s") Duration readTimeout, @DefaultValue("2s") Duration retryAfter) {
}
