package dev.cumsum.loadtest.rehearsal;

/**
 * The band around a usage ratio of 1 inside which the HPA keeps the replica count; both
 * edges are inclusive (replica_calculator.go {@code Tolerances.isWithin}).
 */
public record Tolerances(double scaleDown, double scaleUp) {

	public Tolerances {
		if (!(scaleDown >= 0) || !(scaleUp >= 0)) {
			throw new IllegalArgumentException("tolerances must be >= 0");
		}
	}

	public static Tolerances both(double value) {
		return new Tolerances(value, value);
	}

	public boolean isWithin(double usageRatio) {
		return 1.0 - scaleDown <= usageRatio && usageRatio <= 1.0 + scaleUp;
	}
}
