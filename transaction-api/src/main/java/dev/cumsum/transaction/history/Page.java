package dev.cumsum.transaction.history;

import java.util.List;

import org.bson.Document;

/** One page of records, newest first; {@code next} is null on the last page. */
record Page(List<Document> records, PageToken next) {
}
