package dev.cumsum.transaction.history;

/** Outcome of storing one batch: every record is either newly inserted or already stored. */
record BatchResult(int inserted, int duplicates) {
}
