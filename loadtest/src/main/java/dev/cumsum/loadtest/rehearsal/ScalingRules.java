package dev.cumsum.loadtest.rehearsal;

import java.util.List;

/**
 * One direction of an autoscaling/v2 HorizontalPodAutoscalerBehavior. {@code selectPolicy} is
 * {@code Max} (the policy allowing the biggest change wins), {@code Min} or {@code Disabled}.
 */
public record ScalingRules(int stabilizationWindowSeconds, String selectPolicy, List<ScalingPolicy> policies) {

    public ScalingRules {
        policies = List.copyOf(policies);
        if (!List.of("Max", "Min", "Disabled").contains(selectPolicy)) {
            throw new IllegalArgumentException("selectPolicy must be Max, Min or Disabled, got " + selectPolicy);
        }
        if (stabilizationWindowSeconds < 0 || stabilizationWindowSeconds > 3600) {
            throw new IllegalArgumentException("stabilizationWindowSeconds must be in 0..3600");
        }
    }

    /** Kubernetes' default for scale-up: no window, double or add 4 pods every 15 s, whichever is more. */
    public static ScalingRules defaultScaleUp() {
        return new ScalingRules(0, "Max", List.of(ScalingPolicy.percent(100, 15), ScalingPolicy.pods(4, 15)));
    }

    /** Kubernetes' default for scale-down: 300 s window, then down to the minimum at once. */
    public static ScalingRules defaultScaleDown() {
        return new ScalingRules(300, "Max", List.of(ScalingPolicy.percent(100, 15)));
    }

    int longestPeriodSeconds() {
        return policies.stream().mapToInt(ScalingPolicy::periodSeconds).max().orElse(0);
    }
}
