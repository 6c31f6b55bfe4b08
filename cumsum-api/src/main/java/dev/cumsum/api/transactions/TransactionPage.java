package dev.cumsum.api.transactions;

import java.util.List;

/**
 * A page of stored requests, newest first; pass {@code next} as {@code after} for the
 * next page.
 */
record TransactionPage(List<TransactionView> items, String next) {
}
