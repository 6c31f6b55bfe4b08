package dev.cumsum.loadtest.rehearsal;

/** What one HPA is told: replica bounds, the per-pod target of its Pods metric, its behavior and tolerance. */
public record HpaSpec(int minReplicas, int maxReplicas, double targetPerPod,
                      ScalingRules scaleUp, ScalingRules scaleDown, double tolerance) {

    /** The cluster-wide default of {@code --horizontal-pod-autoscaler-tolerance}. */
    public static final double DEFAULT_TOLERANCE = 0.1;

    public HpaSpec {
        if (minReplicas < 1 || maxReplicas < minReplicas) {
            throw new IllegalArgumentException("need 1 <= minReplicas <= maxReplicas");
        }
        if (targetPerPod <= 0) {
            throw new IllegalArgumentException("targetPerPod must be > 0");
        }
    }
}
