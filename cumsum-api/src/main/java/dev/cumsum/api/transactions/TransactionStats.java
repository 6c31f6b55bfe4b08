package dev.cumsum.api.transactions;

import java.time.Instant;
import java.util.Map;

record TransactionStats(long count, Instant firstReceivedAt, Instant lastReceivedAt, Map<String, Long> countByPod) {
}
