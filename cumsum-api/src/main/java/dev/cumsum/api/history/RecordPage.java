package dev.cumsum.api.history;

import java.util.List;

/**
 * A page of stored requests, newest first; pass {@code next} as {@code after} for the
 * next page.
 */
record RecordPage(List<RecordView> items, String next) {
}
