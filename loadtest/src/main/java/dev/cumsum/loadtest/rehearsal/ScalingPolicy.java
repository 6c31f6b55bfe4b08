package dev.cumsum.loadtest.rehearsal;

/** One autoscaling/v2 HPAScalingPolicy: {@code type} is {@code Pods} or {@code Percent}. */
public record ScalingPolicy(String type, int value, int periodSeconds) {

    public ScalingPolicy {
        if (!"Pods".equals(type) && !"Percent".equals(type)) {
            throw new IllegalArgumentException("policy type must be Pods or Percent, got " + type);
        }
        if (value <= 0 || periodSeconds <= 0 || periodSeconds > 1800) {
            throw new IllegalArgumentException("policy value must be > 0 and periodSeconds in 1..1800");
        }
    }

    public static ScalingPolicy pods(int value, int periodSeconds) {
        return new ScalingPolicy("Pods", value, periodSeconds);
    }

    public static ScalingPolicy percent(int value, int periodSeconds) {
        return new ScalingPolicy("Percent", value, periodSeconds);
    }
}
