package dev.cumsum.loadtest.rehearsal;

/**
 * One autoscaling/v2 HPAScalingPolicy: {@code type} is {@code Pods} or {@code Percent}.
 */
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

	/** The replica count this policy allows from {@code periodStart} upwards. */
	int scaleUpLimit(int periodStart) {
		return "Pods".equals(type) ? periodStart + value
				// rounded up, or a small Percent could never add a pod
				: (int) Math.ceil(periodStart * (1 + value / 100.0));
	}

	/**
	 * The replica count this policy allows from {@code periodStart} downwards (Percent
	 * truncates).
	 */
	int scaleDownLimit(int periodStart) {
		return "Pods".equals(type) ? periodStart - value : (int) (periodStart * (1 - value / 100.0));
	}
}
