package dev.cumsum.loadtest.report;

/** Column names shared by the report, the rehearsal and their charts. */
public final class Columns {

	/** Requests/s served (report: from Prometheus; rehearsal: what the pods serve). */
	public static final String RPS = "rps";

	/**
	 * Requests/s offered by the load profile (rehearsal: always; report: when the run's
	 * profile parameters are given, since the service only sees what reached it).
	 */
	public static final String OFFERED_RPS = "offered_rps";

	/** Prefix of the per-pod request rate columns ({@code pod_rps:<pod>}). */
	public static final String POD_RPS = "pod_rps:";

	/**
	 * The value of the autoscaling metric the HPA last saw (rehearsal: average over
	 * pods).
	 */
	public static final String HPA_METRIC = "hpa_metric";

	public static final String HPA_TARGET = "hpa_target";

	public static final String HPA_CURRENT = "hpa_current_replicas";

	public static final String HPA_DESIRED = "hpa_desired_replicas";

	public static final String HPA_MIN = "hpa_min_replicas";

	public static final String HPA_MAX = "hpa_max_replicas";

	/**
	 * Pods that receive traffic (report: kube-state-metrics' ready replicas; rehearsal:
	 * started and ready).
	 */
	public static final String READY_PODS = "ready_pods";

	/**
	 * Pods that reported a request rate at that time (report only; counted from the
	 * per-pod rates).
	 */
	public static final String SERVING_PODS = "serving_pods";

	public static final String P99_MS = "p99_ms";

	public static final String ERROR_RATIO = "error_ratio";

	private Columns() {
	}

}
