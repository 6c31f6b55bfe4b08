package dev.cumsum.api.history;

import java.time.Instant;
import java.util.Map;

record HistoryStats(long count, Instant firstReceivedAt, Instant lastReceivedAt, Map<String, Long> countByPod) {
}
