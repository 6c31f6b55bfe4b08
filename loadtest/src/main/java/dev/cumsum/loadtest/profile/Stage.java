package dev.cumsum.loadtest.profile;

import java.time.Duration;

/**
 * Offered load that goes linearly from {@code startRate} to {@code endRate} requests/s
 * over {@code duration}.
 */
public record Stage(double startRate, double endRate, Duration duration) {

	public Stage {
		if (startRate < 0 || endRate < 0) {
			throw new IllegalArgumentException("rates must be >= 0");
		}
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException("stage duration must be > 0");
		}
	}

	public static Stage constant(double rate, Duration duration) {
		return new Stage(rate, rate, duration);
	}

	public boolean isConstant() {
		return startRate == endRate;
	}

	/** Rate at {@code seconds} after the start of this stage. */
	double rateAt(double seconds) {
		double f = Math.min(1.0, Math.max(0.0, seconds / duration.toMillis() * 1000.0));
		return startRate + (endRate - startRate) * f;
	}
}
