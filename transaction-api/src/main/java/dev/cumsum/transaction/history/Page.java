package dev.cumsum.transaction.history;

import java.util.List;

/**
 * One page of records (values omitted), newest first; {@code next} is null on the last
 * page.
 */
record Page(List<HistoryRecord> records, PageToken next) {
}
