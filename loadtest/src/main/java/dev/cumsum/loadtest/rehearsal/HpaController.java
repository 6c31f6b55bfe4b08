package dev.cumsum.loadtest.rehearsal;

import dev.cumsum.loadtest.rehearsal.History.Recommendation;
import dev.cumsum.loadtest.rehearsal.History.ScaleEvent;
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
 * Stateful like the controller: recommendations and scale events, which start from a
 * {@link History}. Times are seconds on any monotonic clock.
 */
public final class HpaController {

	/**
	 * horizontal.go scaleUpLimitFactor and scaleUpLimitMinimum (HPAs without behavior).
	 */
	static final double SCALE_UP_LIMIT_FACTOR = 2.0;
	static final double SCALE_UP_LIMIT_MINIMUM = 4.0;

	private final HpaSpec spec;

	private final ControllerConfig config;

	private final ReplicaCalculator calculator;

	private List<Recommendation> recommendations;

	private final List<ScaleEvent> scaleUpEvents;

	private final List<ScaleEvent> scaleDownEvents;

	public HpaController(HpaSpec spec, ControllerConfig config) {
		this(spec, config, History.firstSight());
	}

	public HpaController(HpaSpec spec, ControllerConfig config, History history) {
		this.spec = spec;
		this.config = config;
		this.calculator = new ReplicaCalculator(config);
		this.recommendations = History.mutable(history.recommendations());
		this.scaleUpEvents = new ArrayList<>(history.scaleUpEvents());
		this.scaleDownEvents = new ArrayList<>(history.scaleDownEvents());
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
		return new History(recommendations, scaleUpEvents, scaleDownEvents);
	}

	/** One sync (reconcileAutoscaler). */
	public Decision reconcile(long now, Observation observation) {
		int current = observation.specReplicas();
		if (recommendations == null) {
			// recordInitialRecommendation: a new HPA (or a restarted controller) holds
			// scale-down for a window
			recommendations = new ArrayList<>(List.of(new Recommendation(now, current)));
		}
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
			storeScaleEvent(now, current, decision.desiredReplicas());
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
		if (recommendations == null) {
			recommendations = new ArrayList<>(List.of(new Recommendation(now, currentReplicas)));
		}
		return spec.behavior() == null ? normalizeWithoutBehavior(now, currentReplicas, metricReplicas)
				: normalizeWithBehaviors(now, currentReplicas, metricReplicas, spec.behavior());
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

	private Decision normalizeWithoutBehavior(long now, int current, int proposal) {
		// stabilizeRecommendation: the highest recommendation not older than the
		// downscale window;
		// it may be above the current count, and then the HPA scales back up to it
		long cutoff = now - config.downscaleStabilizationSeconds();
		int max = proposal;
		int oldIndex = -1;
		for (int i = 0; i < recommendations.size(); i++) {
			Recommendation r = recommendations.get(i);
			if (r.time() < cutoff) {
				oldIndex = i;
			}
			else if (r.replicas() > max) {
				max = r.replicas();
			}
		}
		record(oldIndex, new Recommendation(now, proposal));
		String ableToScale = max != proposal ? "ScaleDownStabilized" : "ReadyForNewScale";

		// convertDesiredReplicasWithRules
		int scaleUpLimit = (int) Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM);
		int maximumAllowed;
		String limitReason;
		if (spec.maxReplicas() > scaleUpLimit) {
			maximumAllowed = scaleUpLimit;
			limitReason = "ScaleUpLimit";
		}
		else {
			maximumAllowed = spec.maxReplicas();
			limitReason = "TooManyReplicas";
		}
		if (max < spec.minReplicas()) {
			return new Decision(spec.minReplicas(), proposal, List.of(), ableToScale, "TooFewReplicas");
		}
		if (max > maximumAllowed) {
			return new Decision(maximumAllowed, proposal, List.of(), ableToScale, limitReason);
		}
		return new Decision(max, proposal, List.of(), ableToScale, "DesiredWithinRange");
	}

	private Decision normalizeWithBehaviors(long now, int current, int proposal, HpaBehavior behavior) {
		// maybeInitScaleDownStabilizationWindow: an unset scale-down window is the
		// controller's flag
		int upWindow = behavior.scaleUp().stabilizationWindowSeconds() == null ? 0
				: behavior.scaleUp().stabilizationWindowSeconds();
		int downWindow = behavior.scaleDown().stabilizationWindowSeconds() == null
				? config.downscaleStabilizationSeconds() : behavior.scaleDown().stabilizationWindowSeconds();

		// stabilizeRecommendationWithBehaviors: scale-up takes the lowest recommendation
		// of its window,
		// scale-down the highest of its window, both including this one
		long upCutoff = now - upWindow;
		long downCutoff = now - downWindow;
		int up = proposal;
		int down = proposal;
		int oldIndex = -1;
		for (int i = 0; i < recommendations.size(); i++) {
			Recommendation r = recommendations.get(i);
			if (r.time() > upCutoff) {
				up = Math.min(up, r.replicas());
			}
			if (r.time() > downCutoff) {
				down = Math.max(down, r.replicas());
			}
			if (r.time() < upCutoff && r.time() < downCutoff) {
				oldIndex = i;
			}
		}
		int stabilized = current;
		if (stabilized < up) {
			stabilized = up;
		}
		if (stabilized > down) {
			stabilized = down;
		}
		record(oldIndex, new Recommendation(now, proposal));
		String ableToScale = stabilized == proposal ? "ReadyForNewScale"
				: proposal >= current ? "ScaleUpStabilized" : "ScaleDownStabilized";

		// convertDesiredReplicasWithBehaviorRate
		if (stabilized > current) {
			int limit = Math.max(current, scaleUpLimit(now, current, behavior.scaleUp()));
			int maximumAllowed;
			String reason;
			if (spec.maxReplicas() > limit) {
				maximumAllowed = limit;
				reason = "ScaleUpLimit";
			}
			else {
				maximumAllowed = spec.maxReplicas();
				reason = "TooManyReplicas";
			}
			if (stabilized > maximumAllowed) {
				return new Decision(maximumAllowed, proposal, List.of(), ableToScale, reason);
			}
		}
		else if (stabilized < current) {
			int limit = Math.min(current, scaleDownLimit(now, current, behavior.scaleDown()));
			int minimumAllowed;
			String reason;
			if (spec.minReplicas() < limit) {
				minimumAllowed = limit;
				reason = "ScaleDownLimit";
			}
			else {
				minimumAllowed = spec.minReplicas();
				reason = "TooFewReplicas";
			}
			if (stabilized < minimumAllowed) {
				return new Decision(minimumAllowed, proposal, List.of(), ableToScale, reason);
			}
		}
		return new Decision(stabilized, proposal, List.of(), ableToScale, "DesiredWithinRange");
	}

	/** Replaces the last recommendation that left every window, or appends. */
	private void record(int oldIndex, Recommendation r) {
		if (oldIndex >= 0) {
			recommendations.set(oldIndex, r);
		}
		else {
			recommendations.add(r);
		}
	}

	/**
	 * calculateScaleUpLimitWithScalingRules: from the count at the start of each policy's
	 * period.
	 */
	private int scaleUpLimit(long now, int current, ScalingRules rules) {
		if (rules.selectPolicy().equals("Disabled")) {
			return current;
		}
		boolean min = rules.selectPolicy().equals("Min");
		int result = min ? Integer.MAX_VALUE : Integer.MIN_VALUE;
		for (ScalingPolicy p : rules.policies()) {
			int periodStart = current - changeInPeriod(now, p.periodSeconds(), scaleUpEvents)
					+ changeInPeriod(now, p.periodSeconds(), scaleDownEvents);
			int proposed = p.scaleUpLimit(periodStart);
			result = min ? Math.min(result, proposed) : Math.max(result, proposed);
		}
		return result;
	}

	/** calculateScaleDownLimitWithBehaviors. */
	private int scaleDownLimit(long now, int current, ScalingRules rules) {
		if (rules.selectPolicy().equals("Disabled")) {
			return current;
		}
		boolean min = rules.selectPolicy().equals("Min");
		int result = min ? Integer.MIN_VALUE : Integer.MAX_VALUE;
		for (ScalingPolicy p : rules.policies()) {
			int periodStart = current - changeInPeriod(now, p.periodSeconds(), scaleUpEvents)
					+ changeInPeriod(now, p.periodSeconds(), scaleDownEvents);
			int proposed = p.scaleDownLimit(periodStart);
			result = min ? Math.max(result, proposed) : Math.min(result, proposed);
		}
		return result;
	}

	/**
	 * getReplicasChangePerPeriod: events strictly inside the last {@code periodSeconds}.
	 */
	static int changeInPeriod(long now, int periodSeconds, List<ScaleEvent> events) {
		long cutoff = now - periodSeconds;
		int sum = 0;
		for (ScaleEvent e : events) {
			if (e.time() > cutoff) {
				sum += e.change();
			}
		}
		return sum;
	}

	/**
	 * storeScaleEvent: only HPAs with a behavior keep events. Events older than the
	 * direction's longest policy period are marked outdated; the new event takes the last
	 * outdated slot, or is appended.
	 */
	private void storeScaleEvent(long now, int from, int to) {
		HpaBehavior behavior = spec.behavior();
		if (behavior == null) {
			return;
		}
		boolean up = to > from;
		List<ScaleEvent> events = up ? scaleUpEvents : scaleDownEvents;
		long cutoff = now - (up ? behavior.scaleUp() : behavior.scaleDown()).longestPeriodSeconds();
		int oldIndex = -1;
		for (int i = 0; i < events.size(); i++) {
			ScaleEvent e = events.get(i);
			if (e.time() < cutoff && !e.outdated()) {
				events.set(i, new ScaleEvent(e.time(), e.change(), true));
			}
			if (events.get(i).outdated()) {
				oldIndex = i;
			}
		}
		ScaleEvent event = new ScaleEvent(now, Math.abs(to - from), false);
		if (oldIndex >= 0) {
			events.set(oldIndex, event);
		}
		else {
			events.add(event);
		}
	}

}
