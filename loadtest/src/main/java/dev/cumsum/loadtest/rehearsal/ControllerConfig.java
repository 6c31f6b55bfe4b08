package dev.cumsum.loadtest.rehearsal;

/**
 * The kube-controller-manager settings the HPA controller reads (flags
 * {@code --horizontal-pod-autoscaler-tolerance}, {@code -downscale-stabilization},
 * {@code -cpu-initialization-period}, {@code -initial-readiness-delay}) and whether the
 * feature gate {@code HPAConfigurableTolerance} is on (alpha in 1.33, beta and on by
 * default since 1.35): without it the API server drops
 * {@code behavior.scaleUp/scaleDown.tolerance} and the cluster-wide tolerance applies.
 * Durations in seconds.
 */
public record ControllerConfig(double tolerance, int downscaleStabilizationSeconds, int cpuInitializationPeriodSeconds,
		int initialReadinessDelaySeconds, boolean configurableTolerance) {

	public ControllerConfig {
		if (tolerance < 0 || downscaleStabilizationSeconds < 0 || cpuInitializationPeriodSeconds < 0
				|| initialReadinessDelaySeconds < 0) {
			throw new IllegalArgumentException("controller settings must not be negative");
		}
	}

	/**
	 * kube-controller-manager's defaults: 0.1, 5m, 5m, 30s; the gate on (Kubernetes
	 * 1.35).
	 */
	public static ControllerConfig defaults() {
		return new ControllerConfig(0.1, 300, 300, 30, true);
	}

	public ControllerConfig withTolerance(double value) {
		return new ControllerConfig(value, downscaleStabilizationSeconds, cpuInitializationPeriodSeconds,
				initialReadinessDelaySeconds, configurableTolerance);
	}
}
