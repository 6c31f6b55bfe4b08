package dev.cumsum.loadtest.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SequencedMap;

/**
 * Time series on one grid of timestamps (epoch seconds), one named column per series, NaN
 * where a series has no value. The scaling report and the HPA rehearsal both produce one;
 * the CSV written here is the raw data of a report and the input of a rehearsal replay.
 */
public record Table(long[] times, SequencedMap<String, double[]> columns) {

	public Table {
		for (var e : columns.entrySet()) {
			if (e.getValue().length != times.length) {
				throw new IllegalArgumentException("column " + e.getKey() + " has " + e.getValue().length
						+ " values for " + times.length + " times");
			}
		}
	}

	public static Table empty(long[] times) {
		return new Table(times, new LinkedHashMap<>());
	}

	public double[] column(String name) {
		return columns.get(name);
	}

	public boolean hasData(String name) {
		double[] c = columns.get(name);
		return c != null && Arrays.stream(c).anyMatch(v -> !Double.isNaN(v));
	}

	public List<String> columnsStartingWith(String prefix) {
		return columns.keySet().stream().filter(k -> k.startsWith(prefix)).toList();
	}

	public void writeCsv(Path file) {
		StringBuilder sb = new StringBuilder("timestamp,elapsed_s");
		columns.keySet().forEach(k -> sb.append(',').append(k));
		sb.append('\n');
		for (int i = 0; i < times.length; i++) {
			sb.append(times[i]).append(',').append(times[i] - times[0]);
			for (double[] c : columns.values()) {
				sb.append(',');
				if (!Double.isNaN(c[i])) {
					sb.append(format(c[i]));
				}
			}
			sb.append('\n');
		}
		try {
			Files.writeString(file, sb, StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	static String format(double v) {
		if (v == Math.rint(v) && Math.abs(v) < 1e15) {
			return Long.toString((long) v);
		}
		return String.format(Locale.ROOT, "%.6g", v);
	}

	public static Table readCsv(Path file) throws IOException {
		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		if (lines.isEmpty()) {
			throw new IOException(file + " is empty");
		}
		String[] header = lines.getFirst().split(",", -1);
		if (!header[0].equals("timestamp")) {
			throw new IOException(file + ": first column must be timestamp");
		}
		List<String[]> rows = new ArrayList<>();
		for (String line : lines.subList(1, lines.size())) {
			if (!line.isBlank()) {
				rows.add(line.split(",", -1));
			}
		}
		long[] times = new long[rows.size()];
		Map<String, double[]> cols = new LinkedHashMap<>();
		for (int c = 1; c < header.length; c++) {
			if (!header[c].equals("elapsed_s")) {
				cols.put(header[c], new double[rows.size()]);
			}
		}
		for (int r = 0; r < rows.size(); r++) {
			String[] row = rows.get(r);
			times[r] = Long.parseLong(row[0]);
			for (int c = 1; c < header.length; c++) {
				double[] col = cols.get(header[c]);
				if (col != null) {
					col[r] = c < row.length && !row[c].isEmpty() ? Double.parseDouble(row[c]) : Double.NaN;
				}
			}
		}
		return new Table(times, new LinkedHashMap<>(cols));
	}
}
