package dev.cumsum.loadtest.report;

import java.util.ArrayList;
import java.util.List;

/**
 * One panel of the report figure (and its stand-alone PNG): the series it draws on a
 * shared time axis.
 */
enum Panel {

	REQUESTS("rps.png", "Requests per second, offered and achieved", "requests/s", false, Series.OFFERED,
			Series.ACHIEVED),
	PER_POD("rps_per_pod.png", "Requests per second per pod, against the HPA target", "requests/s per pod", true,
			Series.HPA_METRIC, Series.HPA_TARGET),
	REPLICAS("replicas.png", "Replicas", "replicas", false, Series.DESIRED, Series.CURRENT, Series.READY,
			Series.SERVING, Series.MIN, Series.MAX),
	LATENCY("latency_p99.png", "p99 latency of POST /api", "milliseconds", false, Series.P99), ERRORS("error_ratio.png",
			"Error ratio (responses other than success)", "fraction of requests", false, Series.ERRORS);

	private final String file;

	private final String title;

	private final String yLabel;

	private final boolean perPodColumns;

	private final List<Series> series;

	Panel(String file, String title, String yLabel, boolean perPodColumns, Series... series) {
		this.file = file;
		this.title = title;
		this.yLabel = yLabel;
		this.perPodColumns = perPodColumns;
		this.series = List.of(series);
	}

	String file() {
		return file;
	}

	String title() {
		return title;
	}

	String yLabel() {
		return yLabel;
	}

	/** What the panel draws from this table, in drawing order. */
	List<Line> lines(Table table) {
		List<Line> lines = new ArrayList<>();
		if (perPodColumns) {
			List<String> pods = table.columnsStartingWith(Columns.POD_RPS);
			for (int i = 0; i < pods.size(); i++) {
				String pod = pods.get(i);
				if (table.hasData(pod)) {
					lines.add(new Line(pod, "pod " + pod.substring(Columns.POD_RPS.length()), Line.podColor(i), false));
				}
			}
		}
		for (Series s : series) {
			if (table.hasData(s.column())) {
				lines.add(new Line(s.column(), s.label(), s.color(), s.reference()));
			}
		}
		return lines;
	}

	/** The panel's series this table lacks, each with the reason in words. */
	List<String> missing(Table table) {
		List<String> out = new ArrayList<>();
		if (perPodColumns && table.columnsStartingWith(Columns.POD_RPS).stream().noneMatch(table::hasData)) {
			out.add("per-pod request rate: no per-pod series (cumsum_requests_total by pod) in this window");
		}
		for (Series s : series) {
			String why = s.optional() ? null : s.whyMissing(table);
			if (why != null) {
				out.add(s.label() + ": " + why);
			}
		}
		return out;
	}

}
