package dev.cumsum.transaction.history;

import java.util.List;

import dev.cumsum.transaction.v1.Record;

/**
 * One page of records (values omitted), newest first; {@code next} is null on the last
 * page.
 */
record Page(List<Record> records, PageToken next) {
}
