package dev.cumsum.loadtest.rehearsal;

import java.util.List;

/**
 * What one HPA is told: replica bounds, its metrics and its behavior. {@code behavior}
 * null is an HPA without spec.behavior, which the controller treats differently from one
 * with the default behavior (horizontal.go normalizeDesiredReplicas). {@code minReplicas}
 * 0 needs an External metric (HPAScaleToZero).
 */
public record HpaSpec(int minReplicas, int maxReplicas, List<HpaMetric> metrics, HpaBehavior behavior) {

	public HpaSpec {
		metrics = List.copyOf(metrics);
		if (minReplicas < 0 || maxReplicas < 1 || maxReplicas < minReplicas) {
			throw new IllegalArgumentException("need 0 <= minReplicas <= maxReplicas and maxReplicas >= 1");
		}
		if (metrics.isEmpty()) {
			throw new IllegalArgumentException("an HPA needs at least one metric");
		}
		if (minReplicas == 0 && metrics.stream().noneMatch(m -> m instanceof HpaMetric.External)) {
			throw new IllegalArgumentException("minReplicas 0 needs an External metric (HPAScaleToZero)");
		}
	}

	/**
	 * One Pods metric with an AverageValue target, and the given behavior (null: none).
	 */
	public static HpaSpec pods(int minReplicas, int maxReplicas, double targetPerPod, HpaBehavior behavior) {
		return new HpaSpec(minReplicas, maxReplicas, List.of(new HpaMetric.Pods("requests_per_second", targetPerPod)),
				behavior);
	}

	/**
	 * The per-pod target of the first Pods or External metric (what the report draws as
	 * the target).
	 */
	public double targetPerPod() {
		for (HpaMetric m : metrics) {
			if (m instanceof HpaMetric.Pods p) {
				return p.averageValue();
			}
			if (m instanceof HpaMetric.External e) {
				return e.averageValue();
			}
		}
		return Double.NaN;
	}

	/**
	 * The effective tolerances: behavior's per-direction values when the feature gate
	 * allows, else the flag.
	 */
	public Tolerances tolerances(ControllerConfig config) {
		double down = config.tolerance();
		double up = config.tolerance();
		if (behavior != null && config.configurableTolerance()) {
			if (behavior.scaleDown().tolerance() != null) {
				down = behavior.scaleDown().tolerance();
			}
			if (behavior.scaleUp().tolerance() != null) {
				up = behavior.scaleUp().tolerance();
			}
		}
		return new Tolerances(down, up);
	}
}
