package dev.cumsum.loadtest.rehearsal;

/**
 * One entry of an HPA's spec.metrics, of the kinds this chart renders. Targets of
 * AverageValue metrics are in the metric's unit (requests/s); the controller works on
 * milli-units like resource.Quantity's MilliValue.
 */
public sealed interface HpaMetric {

	/**
	 * {@code type: Pods} with an AverageValue target: the chart's hpa mode (Prometheus
	 * Adapter metric).
	 */
	record Pods(String name, double averageValue) implements HpaMetric {
		public Pods {
			requirePositive(averageValue);
		}

		long targetMilli() {
			return milli(averageValue);
		}
	}

	/**
	 * {@code type: External} with an AverageValue target: the HPA that KEDA creates
	 * (chart's keda mode).
	 */
	record External(String name, double averageValue) implements HpaMetric {
		public External {
			requirePositive(averageValue);
		}

		long targetMilli() {
			return milli(averageValue);
		}
	}

	/**
	 * {@code type: Resource}, cpu, {@code Utilization} target in percent of the pods'
	 * requests.
	 */
	record CpuUtilization(int averageUtilization) implements HpaMetric {
		public CpuUtilization {
			if (averageUtilization <= 0) {
				throw new IllegalArgumentException("averageUtilization must be > 0");
			}
		}
	}

	private static void requirePositive(double averageValue) {
		if (!(averageValue > 0)) {
			throw new IllegalArgumentException("averageValue must be > 0");
		}
	}

	/** An AverageValue target in milli-units, as resource.Quantity's MilliValue. */
	private static long milli(double averageValue) {
		return Math.round(averageValue * 1000);
	}

}
