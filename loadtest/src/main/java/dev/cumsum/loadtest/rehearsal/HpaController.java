package dev.cumsum.loadtest.rehearsal;

import java.util.ArrayList;
import java.util.List;

/**
 * One HPA in Kubernetes' horizontal pod autoscaler controller
 * (pkg/controller/podautoscaler/horizontal.go, reconcileAutoscaler): the current replica
 * count outside [min, max] is brought back into it; otherwise every metric proposes a
 * count ({@link ReplicaCalculator}), the highest wins, and no scale-down happens while
 * any metric is unreadable; then, without spec.behavior, the highest recommendation of
 * the downscale-stabilization window and the scale-up limit max(2 x current, 4)
 * (normalizeDesiredReplicas); with a behavior, both stabilization windows and the
 * policies' rate limits over their periods (normalizeDesiredReplicasWithBehaviors).
 * Stateful like the controller: recommendations ({@link Stabilization}) and scale events
 * ({@link ScaleRateLimits}), which start from a {@link History}. Times are seconds on any
 * monotonic clock.
 */
public final class HpaController {

	private final HpaSpec spec;

	private final ControllerConfig config;

	private final ReplicaCalculator calculator;

	private final Stabilization stabilization;

	private final ScaleRateLimits limits;

	public HpaController(HpaSpec spec, ControllerConfig config) {
		this(spec, config, History.firstSight());
	}

	public HpaController(HpaSpec spec, ControllerConfig config, History history) {
		this.spec = spec;
		this.config = config;
		this.calculator = new ReplicaCalculator(config);
		this.stabilization = new Stabilization(history.recommendations());
		this.limits = new ScaleRateLimits(spec, history.scaleUpEvents(), history.scaleDownEvents());
	}

	public HpaSpec spec() {
		return spec;
	}

	public ControllerConfig config() {
		return config;
	}

	/** The tolerances this HPA's metrics are computed with. */
	public Tolerances tolerances() {
		return spec.tolerances(config);
	}

	/** What the controller remembers now. */
	public History history() {
		return new History(stabilization.recommendations(), limits.scaleUpEvents(), limits.scaleDownEvents());
	}

	/** One sync (reconcileAutoscaler). */
	public Decision reconcile(long now, Observation observation) {
		int current = observation.specReplicas();
		stabilization.firstSight(now, current);
		int min = spec.minReplicas();
		Decision decision;
		if (current == 0 && min != 0) {
			return new Decision(0, -1, List.of(), "ScalingDisabled", "ScalingDisabled");
		}
		else if (current > spec.maxReplicas()) {
			decision = new Decision(spec.maxReplicas(), -1, List.of(), "SucceededRescale", "AboveMaxReplicas");
		}
		else if (current < min) {
			decision = new Decision(min, -1, List.of(), "SucceededRescale", "BelowMinReplicas");
		}
		else {
			List<Proposal> proposals = new ArrayList<>();
			int metricReplicas = computeReplicasForMetrics(now, observation, proposals);
			if (metricReplicas < 0) {
				// no valid metric, or an invalid one while the others would scale down:
				// nothing changes or is recorded
				return new Decision(current, -1, proposals, "FailedGetMetrics", "FailedGetMetrics");
			}
			Decision normalized = normalize(now, current, metricReplicas);
			decision = new Decision(normalized.desiredReplicas(), metricReplicas, proposals, normalized.ableToScale(),
					normalized.scalingLimited());
		}
		if (decision.desiredReplicas() != current) {
			limits.rescaled(now, current, decision.desiredReplicas());
		}
		return decision;
	}

	/**
	 * The normalization step alone, for a metric proposal: stabilization, then the rate
	 * limits and [min, max] (normalizeDesiredReplicas without behavior,
	 * normalizeDesiredReplicasWithBehaviors with it). Records the recommendation (after
	 * the initial one on first sight); records no scale event (reconcile does that when
	 * it rescales).
	 */
	public Decision normalize(long now, int currentReplicas, int metricReplicas) {
		stabilization.firstSight(now, currentReplicas);
		HpaBehavior behavior = spec.behavior();
		int stabilized;
		String ableToScale;
		ScaleRateLimits.Limited limited;
		if (behavior == null) {
			stabilized = stabilization.highestInDownscaleWindow(now, metricReplicas,
					config.downscaleStabilizationSeconds());
			ableToScale = stabilized != metricReplicas ? "ScaleDownStabilized" : "ReadyForNewScale";
			limited = limits.withoutBehavior(currentReplicas, stabilized);
		}
		else {
			stabilized = stabilization.withBehaviors(now, currentReplicas, metricReplicas, behavior, config);
			ableToScale = stabilized == metricReplicas ? "ReadyForNewScale"
					: metricReplicas >= currentReplicas ? "ScaleUpStabilized" : "ScaleDownStabilized";
			limited = limits.withBehavior(now, currentReplicas, stabilized, behavior);
		}
		return new Decision(limited.replicas(), metricReplicas, List.of(), ableToScale, limited.reason());
	}

	private int computeReplicasForMetrics(long now, Observation o, List<Proposal> proposals) {
		Tolerances tolerances = tolerances();
		int replicas = 0;
		int invalid = 0;
		for (HpaMetric metric : spec.metrics()) {
			Proposal p = switch (metric) {
				case HpaMetric.Pods pods ->
					calculator.podsMetric(o.specReplicas(), pods.targetMilli(), o.pods(), tolerances);
				case HpaMetric.CpuUtilization cpu ->
					calculator.cpuUtilization(now, o.specReplicas(), cpu.averageUtilization(), o.pods(), tolerances);
				case HpaMetric.External ext ->
					calculator.externalPerPod(o.statusReplicas(), ext.targetMilli(), o.externalMilli(), tolerances);
			};
			proposals.add(p);
			if (!p.valid()) {
				invalid++;
				continue;
			}
			if (replicas == 0 || p.replicas() > replicas) {
				replicas = p.replicas();
			}
		}
		if (invalid >= spec.metrics().size() || (invalid > 0 && replicas < o.specReplicas())) {
			return -1;
		}
		return replicas;
	}

}
