package dev.cumsum.loadtest.rehearsal;

import java.util.List;

/**
 * One direction of an autoscaling/v2 HorizontalPodAutoscalerBehavior (HPAScalingRules),
 * as the API server stores it after defaulting. {@code selectPolicy} is {@code Max} (the
 * policy allowing the biggest change wins), {@code Min} or {@code Disabled}.
 * {@code stabilizationWindowSeconds} null: the controller's
 * {@code --horizontal-pod-autoscaler-downscale-stabilization} (what the API server leaves
 * for scale-down). {@code tolerance} null: the controller's
 * {@code --horizontal-pod-autoscaler-tolerance}.
 */
public record ScalingRules(Integer stabilizationWindowSeconds, String selectPolicy, List<ScalingPolicy> policies,
		Double tolerance) {

	public ScalingRules {
		policies = List.copyOf(policies);
		if (!List.of("Max", "Min", "Disabled").contains(selectPolicy)) {
			throw new IllegalArgumentException("selectPolicy must be Max, Min or Disabled, got " + selectPolicy);
		}
		if (stabilizationWindowSeconds != null
				&& (stabilizationWindowSeconds < 0 || stabilizationWindowSeconds > 3600)) {
			throw new IllegalArgumentException("stabilizationWindowSeconds must be in 0..3600");
		}
		if (policies.isEmpty()) {
			throw new IllegalArgumentException("policies must not be empty");
		}
		if (tolerance != null && !(tolerance >= 0)) {
			throw new IllegalArgumentException("tolerance must be >= 0");
		}
	}

	public ScalingRules(int stabilizationWindowSeconds, String selectPolicy, List<ScalingPolicy> policies) {
		this(Integer.valueOf(stabilizationWindowSeconds), selectPolicy, policies, null);
	}

	/**
	 * Kubernetes' default for scale-up: no window, double or add 4 pods every 15 s,
	 * whichever is more.
	 */
	public static ScalingRules defaultScaleUp() {
		return new ScalingRules(0, "Max", List.of(ScalingPolicy.pods(4, 15), ScalingPolicy.percent(100, 15)));
	}

	/**
	 * Kubernetes' default for scale-down: the controller's window (5 min by default),
	 * then down to the minimum at once.
	 */
	public static ScalingRules defaultScaleDown() {
		return new ScalingRules(null, "Max", List.of(ScalingPolicy.percent(100, 15)), null);
	}

	public ScalingRules withTolerance(Double value) {
		return new ScalingRules(stabilizationWindowSeconds, selectPolicy, policies, value);
	}

	int longestPeriodSeconds() {
		return policies.stream().mapToInt(ScalingPolicy::periodSeconds).max().orElse(0);
	}
}
