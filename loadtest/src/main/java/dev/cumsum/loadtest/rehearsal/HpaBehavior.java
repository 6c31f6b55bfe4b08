package dev.cumsum.loadtest.rehearsal;

import java.util.Objects;

/**
 * spec.behavior of an HPA as stored by the API server: when a behavior is given, a
 * missing direction takes Kubernetes' defaults ({@link ScalingRules#defaultScaleUp()},
 * {@link ScalingRules#defaultScaleDown()}). An HPA without behavior has no instance of
 * this (see {@link HpaSpec#behavior()}).
 */
public record HpaBehavior(ScalingRules scaleUp, ScalingRules scaleDown) {

	public HpaBehavior {
		Objects.requireNonNull(scaleUp, "scaleUp (use ScalingRules.defaultScaleUp())");
		Objects.requireNonNull(scaleDown, "scaleDown (use ScalingRules.defaultScaleDown())");
	}

	public static HpaBehavior defaults() {
		return new HpaBehavior(ScalingRules.defaultScaleUp(), ScalingRules.defaultScaleDown());
	}
}
