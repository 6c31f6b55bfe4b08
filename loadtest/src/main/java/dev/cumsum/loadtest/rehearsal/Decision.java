package dev.cumsum.loadtest.rehearsal;

import java.util.List;

/**
 * The outcome of one sync: the replica count written to the scale subresource (the
 * current one when the controller does not rescale), the metrics' combined proposal (-1
 * when it was not computed), the per-metric proposals, and the reasons upstream would put
 * into the HPA's conditions: {@code ableToScale} (ReadyForNewScale, ScaleUpStabilized,
 * ScaleDownStabilized) and {@code scalingLimited} (DesiredWithinRange, ScaleUpLimit,
 * ScaleDownLimit, TooManyReplicas, TooFewReplicas), or for a sync that did not compute:
 * ScalingDisabled, FailedGetMetrics, AboveMaxReplicas, BelowMinReplicas.
 */
public record Decision(int desiredReplicas, int metricReplicas, List<Proposal> proposals, String ableToScale,
		String scalingLimited) {

	public Decision {
		proposals = List.copyOf(proposals);
	}
}
