package dev.cumsum.transaction.history;

import java.util.List;

/**
 * Outcome of storing one batch: every record is newly inserted, a duplicate of a stored
 * record with the same input (a retry), or a conflict: its id is stored with another
 * input.
 */
record BatchResult(int inserted, int duplicates, List<String> conflicts) {

	BatchResult(int inserted, int duplicates) {
		this(inserted, duplicates, List.of());
	}

}
