package dev.cumsum.loadtest.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The numbers a scaling report leads with, computed the same way from any table (a live
 * run or a rehearsal) so that the two can be compared:
 * <ul>
 * <li>peak replicas (the HPA's current replicas, else ready pods, else pods with a
 * request rate);</li>
 * <li>peak load per ready pod: the achieved rate divided by the ready pods at that
 * moment;</li>
 * <li>seconds above target: time during which the load per ready pod exceeded the HPA
 * target by more than the HPA's tolerance (the band in which the HPA does not act);</li>
 * <li>time from a load step until ready capacity covered it: each stretch above target +
 * tolerance starts when the load outgrew the ready pods and ends when enough pods were
 * ready; the longest and how many.</li>
 * </ul>
 * Each number that cannot be computed from the table says why instead.
 */
record KeyNumbers(List<Row> rows) {

	/** One line of the key-number table: a value, or the reason there is none. */
	record Row(String name, String value, String detail) {
	}

	/**
	 * The tolerance the report uses for "above target": Kubernetes' default, as the
	 * rehearsal models it.
	 */
	static final double TOLERANCE = 0.1;

	static KeyNumbers of(Table t) {
		List<Row> rows = new ArrayList<>();
		long[] times = t.times();
		double[] dt = durations(times);
		String replicasColumn = first(t, Columns.HPA_CURRENT, Columns.READY_PODS, Columns.SERVING_PODS);
		if (replicasColumn == null) {
			rows.add(new Row("Peak replicas", null, "no replica series: " + Series.CURRENT.whyMissing(t)));
		}
		else {
			int at = argMax(t.column(replicasColumn));
			rows.add(new Row("Peak replicas", fmt("%.0f", t.column(replicasColumn)[at]),
					"at " + Figure.clock(elapsed(t, at)) + " from the start (" + replicasName(replicasColumn) + ")"));
		}

		String readyColumn = first(t, Columns.READY_PODS, Columns.SERVING_PODS);
		double[] perReadyPod = null;
		if (!t.hasData(Columns.RPS)) {
			rows.add(new Row("Peak load per ready pod", null, Series.ACHIEVED.whyMissing(t)));
		}
		else if (readyColumn == null) {
			rows.add(new Row("Peak load per ready pod", null, "no ready-pod count: " + Series.READY.whyMissing(t)));
		}
		else {
			double[] rps = t.column(Columns.RPS);
			double[] ready = t.column(readyColumn);
			perReadyPod = new double[times.length];
			for (int i = 0; i < times.length; i++) {
				// no ready pod with load offered: the load has nowhere to go, count it as
				// infinite per pod
				perReadyPod[i] = Double.isNaN(rps[i]) || Double.isNaN(ready[i]) ? Double.NaN
						: ready[i] > 0 ? rps[i] / ready[i] : rps[i] > 0 ? Double.POSITIVE_INFINITY : 0;
			}
			int at = argMax(perReadyPod);
			String of = t.hasData(Columns.HPA_TARGET) && Double.isFinite(perReadyPod[at])
					? fmt(", %.2f x the target", perReadyPod[at] / t.column(Columns.HPA_TARGET)[at]) : "";
			rows.add(new Row("Peak load per ready pod", fmt("%.1f/s", perReadyPod[at]),
					"at " + Figure.clock(elapsed(t, at)) + " from the start" + of + " (achieved rate / "
							+ replicasName(readyColumn) + ")"));
		}

		if (perReadyPod == null || !t.hasData(Columns.HPA_TARGET)) {
			String why = perReadyPod == null ? "no load per ready pod (above)"
					: "no HPA target: " + Series.HPA_TARGET.whyMissing(t);
			rows.add(new Row("Seconds above target", null, why));
			rows.add(new Row("Load step until ready capacity covered it", null, why));
		}
		else {
			double[] target = fillForward(t.column(Columns.HPA_TARGET));
			double above = 0;
			List<double[]> episodes = new ArrayList<>(); // {start index, seconds, open at
															// the end (1/0)}
			double[] open = null;
			for (int i = 0; i < times.length; i++) {
				boolean over = !Double.isNaN(perReadyPod[i]) && !Double.isNaN(target[i])
						&& perReadyPod[i] > target[i] * (1 + TOLERANCE);
				if (over) {
					above += dt[i];
					if (open == null) {
						open = new double[] { i, 0, 0 };
						episodes.add(open);
					}
					open[1] += dt[i];
				}
				else {
					open = null;
				}
			}
			if (open != null) {
				open[2] = 1;
			}
			rows.add(new Row("Seconds above target", fmt("%.0f s", above),
					fmt("load per ready pod above target x %.1f (the HPA's tolerance)", 1 + TOLERANCE)));
			if (episodes.isEmpty()) {
				rows.add(new Row("Load step until ready capacity covered it", "0 s",
						"the ready pods covered the load (within the tolerance) all along"));
			}
			else {
				double[] longest = episodes.stream().max((a, b) -> Double.compare(a[1], b[1])).orElseThrow();
				String start = Figure.clock(elapsed(t, (int) longest[0]));
				rows.add(new Row("Load step until ready capacity covered it",
						(longest[2] == 1 ? "over " : "") + fmt("%.0f s", longest[1]),
						"longest of " + episodes.size() + (episodes.size() == 1 ? " time" : " times")
								+ " the load outgrew the ready pods; this one from " + start + " after the start"
								+ (longest[2] == 1 ? "; not covered by the end of the window" : "")));
			}
		}

		if (t.hasData(Columns.RPS)) {
			double[] rps = t.column(Columns.RPS);
			String offered = t.hasData(Columns.OFFERED_RPS)
					? fmt(", offered peak %.1f/s", max(t.column(Columns.OFFERED_RPS))) : "";
			rows.add(new Row("Achieved rate", fmt("mean %.1f/s, peak %.1f/s", mean(rps), max(rps)),
					"requests served" + offered));
		}
		if (t.hasData(Columns.P99_MS)) {
			double[] p99 = t.column(Columns.P99_MS);
			rows.add(new Row("p99 latency", fmt("median %.0f ms, worst %.0f ms", median(p99), max(p99)),
					"over the samples of the window"));
		}
		if (t.hasData(Columns.ERROR_RATIO)) {
			rows.add(new Row("Error ratio", fmt("worst %.2f %%", 100 * max(t.column(Columns.ERROR_RATIO))),
					"responses other than success"));
		}
		return new KeyNumbers(List.copyOf(rows));
	}

	Row row(String name) {
		return rows.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
	}

	private static String replicasName(String column) {
		return switch (column) {
			case Columns.HPA_CURRENT -> "the HPA's current replicas";
			case Columns.READY_PODS -> "ready pods";
			default -> "pods with a request rate; no HPA or ready-pod series";
		};
	}

	private static String first(Table t, String... columns) {
		return Arrays.stream(columns).filter(t::hasData).findFirst().orElse(null);
	}

	/**
	 * Seconds each row stands for: until the next row (the last one: as long as the one
	 * before).
	 */
	static double[] durations(long[] times) {
		double[] dt = new double[times.length];
		for (int i = 0; i < times.length; i++) {
			dt[i] = i + 1 < times.length ? times[i + 1] - times[i] : i > 0 ? times[i] - times[i - 1] : 1;
		}
		return dt;
	}

	private static double[] fillForward(double[] v) {
		double[] out = v.clone();
		for (int i = 1; i < out.length; i++) {
			if (Double.isNaN(out[i])) {
				out[i] = out[i - 1];
			}
		}
		return out;
	}

	private static long elapsed(Table t, int i) {
		return t.times()[i] - t.times()[0];
	}

	private static int argMax(double[] v) {
		int best = -1;
		for (int i = 0; i < v.length; i++) {
			if (!Double.isNaN(v[i]) && (best < 0 || v[i] > v[best])) {
				best = i;
			}
		}
		return best;
	}

	static double max(double[] v) {
		return Arrays.stream(v).filter(d -> !Double.isNaN(d)).max().orElse(Double.NaN);
	}

	static double mean(double[] v) {
		return Arrays.stream(v).filter(d -> !Double.isNaN(d)).average().orElse(Double.NaN);
	}

	private static double median(double[] v) {
		double[] s = Arrays.stream(v).filter(d -> !Double.isNaN(d)).sorted().toArray();
		return s.length == 0 ? Double.NaN
				: s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
	}

	private static String fmt(String format, Object... args) {
		return String.format(Locale.ROOT, format, args);
	}
}
