package dev.cumsum.api.history;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may read the history ({@code /api/transactions/**}).
 *
 * @param token the bearer token readers send ({@code Authorization: Bearer <token>}); in
 * Kubernetes from the Secret the chart generates. Unset: a random token is generated for
 * this process and logged once at WARN, so the history is never open by accident.
 */
@ConfigurationProperties("cumsum.history")
record HistoryAuthProperties(String token) {
}
