package dev.cumsum.loadtest.report;

import java.awt.Color;

/**
 * A named series of a report: its column, how it is drawn and, when a report lacks it,
 * why. A column that is not in the data at all was not produced by its source (a
 * rehearsal models no latency); a column that is there but empty had no samples in the
 * window (a live run without kube-state-metrics).
 */
enum Series {

	OFFERED(Columns.OFFERED_RPS, "offered (load profile)", new Color(120, 120, 120), true,
			"offered rate unknown: the service only sees what reached it; give the run's profile parameters"
					+ " (profile=..., loadStart=...) to draw what the load generator offered",
			"the load profile offered nothing in this window"),
	ACHIEVED(Columns.RPS, "achieved (served)", new Color(31, 119, 180), false, "no request rate in this data",
			"no cumsum_requests_total samples in this window"),
	HPA_METRIC(Columns.HPA_METRIC, "HPA metric (average per pod)", new Color(255, 127, 14), false,
			"the HPA's view of the metric is not in this data",
			kubeStateMetrics("kube_horizontalpodautoscaler_status_target_metric", "HPA")),
	HPA_TARGET(Columns.HPA_TARGET, "HPA target per pod", new Color(214, 39, 40), true, "no HPA target in this data",
			kubeStateMetrics("kube_horizontalpodautoscaler_spec_target_metric", "HPA")),
	DESIRED(Columns.HPA_DESIRED, "desired", new Color(148, 103, 189), false, "no desired replicas in this data",
			kubeStateMetrics("kube_horizontalpodautoscaler_status_desired_replicas", "HPA")),
	CURRENT(Columns.HPA_CURRENT, "current", new Color(31, 119, 180), false, "no current replicas in this data",
			kubeStateMetrics("kube_horizontalpodautoscaler_status_current_replicas", "HPA")),
	READY(Columns.READY_PODS, "ready", new Color(44, 160, 44), false, "no ready replicas in this data",
			kubeStateMetrics("kube_deployment_status_replicas_ready", "Deployment")),
	SERVING(Columns.SERVING_PODS, "pods with a request rate", new Color(23, 190, 207), false, null, null),
	MIN(Columns.HPA_MIN, "min", new Color(150, 150, 150), true, "no minReplicas in this data",
			kubeStateMetrics("kube_horizontalpodautoscaler_spec_min_replicas", "HPA")),
	MAX(Columns.HPA_MAX, "max", new Color(90, 90, 90), true, "no maxReplicas in this data",
			kubeStateMetrics("kube_horizontalpodautoscaler_spec_max_replicas", "HPA")),
	P99(Columns.P99_MS, "p99", new Color(31, 119, 180), false,
			"no latency: the HPA rehearsal models no per-pod capacity, so neither latency nor errors",
			"no latency histogram (http_server_requests_seconds_bucket, uri=\"/api\") in this window"),
	ERRORS(Columns.ERROR_RATIO, "error ratio", new Color(214, 39, 40), false,
			"no error ratio: the HPA rehearsal models no per-pod capacity, so neither latency nor errors",
			"no requests in this window, so no error ratio");

	private final String column;

	private final String label;

	private final Color color;

	private final boolean reference;

	private final String notInData;

	private final String noSamples;

	Series(String column, String label, Color color, boolean reference, String notInData, String noSamples) {
		this.column = column;
		this.label = label;
		this.color = color;
		this.reference = reference;
		this.notInData = notInData;
		this.noSamples = noSamples;
	}

	/**
	 * Why a live run's table has a kube-state-metrics column without samples: the series
	 * was not scraped, or (a local run) there is no such object.
	 */
	private static String kubeStateMetrics(String series, String object) {
		return "no " + series + " series (kube-state-metrics) in this window; a local run has no " + object;
	}

	String column() {
		return column;
	}

	String label() {
		return label;
	}

	Color color() {
		return color;
	}

	/** Targets, bounds and the offered rate: drawn dashed, the measured series solid. */
	boolean reference() {
		return reference;
	}

	/** Optional series are drawn when present and never reported missing. */
	boolean optional() {
		return notInData == null;
	}

	/** Why the table has no value of this series at all, or null if it has some. */
	String whyMissing(Table table) {
		if (table.hasData(column)) {
			return null;
		}
		return table.columns().containsKey(column) ? noSamples : notInData;
	}

}
