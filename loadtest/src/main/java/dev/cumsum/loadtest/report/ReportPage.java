package dev.cumsum.loadtest.report;

import java.util.List;

/**
 * What a report page says besides its data: a title, the settings of the run as
 * name/value rows (shown as a table) and free-text notes.
 */
public record ReportPage(String title, List<Setting> settings, List<String> notes) {

	/** One row of the settings table. */
	public record Setting(String name, String value) {
	}

	public ReportPage {
		settings = List.copyOf(settings);
		notes = List.copyOf(notes);
	}

	public static ReportPage withNotes(String title, List<String> notes) {
		return new ReportPage(title, List.of(), notes);
	}
}
