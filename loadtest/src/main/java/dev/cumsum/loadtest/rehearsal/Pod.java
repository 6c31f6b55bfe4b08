package dev.cumsum.loadtest.rehearsal;

/**
 * One pod as the HPA controller sees it at a sync: phase, Ready condition, start time,
 * deletion, and the values the metrics APIs return for it. Times in seconds on the
 * controller's clock.
 *
 * @param ready the Ready condition; null: the pod has no Ready condition
 * @param startTime status.startTime; null: not set
 * @param readyTransitionTime the Ready condition's lastTransitionTime
 * @param deleted the pod has a deletionTimestamp
 * @param metricMilli the custom (Pods) metric in milli-units; null: the metrics API has
 * no value for it
 * @param cpuMilli CPU usage in millicores from the resource metrics API; null: no value
 * @param cpuRequestMilli the pod's CPU request in millicores (0: none)
 * @param cpuTimestamp timestamp of the CPU sample
 * @param cpuWindow window of the CPU sample in seconds
 */
public record Pod(PodPhase phase, Boolean ready, Long startTime, long readyTransitionTime, boolean deleted,
		Long metricMilli, Long cpuMilli, long cpuRequestMilli, long cpuTimestamp, long cpuWindow) {

	/** A running, ready pod started at 0, without metric values. */
	public static Pod running() {
		return new Pod(PodPhase.RUNNING, true, 0L, 0, false, null, null, 0, 0, 60);
	}

	public static Pod pending() {
		return running().withPhase(PodPhase.PENDING).withReady(false);
	}

	/** A running, ready pod whose custom metric is {@code milli} milli-units. */
	public static Pod withMetric(long milli) {
		return running().withMetricMilli(milli);
	}

	public Pod withPhase(PodPhase value) {
		return new Pod(value, ready, startTime, readyTransitionTime, deleted, metricMilli, cpuMilli, cpuRequestMilli,
				cpuTimestamp, cpuWindow);
	}

	public Pod withReady(Boolean value) {
		return new Pod(phase, value, startTime, readyTransitionTime, deleted, metricMilli, cpuMilli, cpuRequestMilli,
				cpuTimestamp, cpuWindow);
	}

	/** Started at {@code start}; the Ready condition last changed then too. */
	public Pod startedAt(long start) {
		return new Pod(phase, ready, start, start, deleted, metricMilli, cpuMilli, cpuRequestMilli, cpuTimestamp,
				cpuWindow);
	}

	public Pod withReadyTransitionTime(long value) {
		return new Pod(phase, ready, startTime, value, deleted, metricMilli, cpuMilli, cpuRequestMilli, cpuTimestamp,
				cpuWindow);
	}

	public Pod deleting() {
		return new Pod(phase, ready, startTime, readyTransitionTime, true, metricMilli, cpuMilli, cpuRequestMilli,
				cpuTimestamp, cpuWindow);
	}

	public Pod withMetricMilli(Long value) {
		return new Pod(phase, ready, startTime, readyTransitionTime, deleted, value, cpuMilli, cpuRequestMilli,
				cpuTimestamp, cpuWindow);
	}

	public Pod withCpu(long usage, long request, long timestamp, long window) {
		return withCpu(Long.valueOf(usage), request, timestamp, window);
	}

	/**
	 * CPU usage {@code usage} (null: no sample) of a request {@code request}
	 * (millicores), sampled at {@code timestamp} over {@code window}.
	 */
	public Pod withCpu(Long usage, long request, long timestamp, long window) {
		return new Pod(phase, ready, startTime, readyTransitionTime, deleted, metricMilli, usage, request, timestamp,
				window);
	}
}
