package dev.cumsum.transaction.history;

import java.util.Date;
import java.util.Map;

/** Totals over the stored history; the dates are null when nothing is stored. */
record HistoryStats(long count, Date first, Date last, Map<String, Long> countByPod) {
}
