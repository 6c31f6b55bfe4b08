package dev.cumsum.loadtest.rehearsal;

import dev.cumsum.loadtest.rehearsal.History.ScaleEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * How far one sync may move the replica count from the current one, and the scale events
 * the behavior's rate limits count (horizontal.go convertDesiredReplicasWithRules,
 * convertDesiredReplicasWithBehaviorRate, storeScaleEvent, getReplicasChangePerPeriod).
 */
final class ScaleRateLimits {

	/**
	 * horizontal.go scaleUpLimitFactor and scaleUpLimitMinimum (HPAs without behavior).
	 */
	static final double SCALE_UP_LIMIT_FACTOR = 2.0;
	static final double SCALE_UP_LIMIT_MINIMUM = 4.0;

	/** A stabilized count after the limits, and the scalingLimited reason. */
	record Limited(int replicas, String reason) {
	}

	private final HpaSpec spec;

	private final List<ScaleEvent> scaleUpEvents;

	private final List<ScaleEvent> scaleDownEvents;

	ScaleRateLimits(HpaSpec spec, List<ScaleEvent> scaleUpEvents, List<ScaleEvent> scaleDownEvents) {
		this.spec = spec;
		this.scaleUpEvents = new ArrayList<>(scaleUpEvents);
		this.scaleDownEvents = new ArrayList<>(scaleDownEvents);
	}

	List<ScaleEvent> scaleUpEvents() {
		return scaleUpEvents;
	}

	List<ScaleEvent> scaleDownEvents() {
		return scaleDownEvents;
	}

	/**
	 * convertDesiredReplicasWithRules (no behavior): up to max(2 x current, 4) and within
	 * [min, max].
	 */
	Limited withoutBehavior(int current, int stabilized) {
		int scaleUpLimit = (int) Math.max(SCALE_UP_LIMIT_FACTOR * current, SCALE_UP_LIMIT_MINIMUM);
		boolean rateBound = spec.maxReplicas() > scaleUpLimit;
		int maximumAllowed = rateBound ? scaleUpLimit : spec.maxReplicas();
		if (stabilized < spec.minReplicas()) {
			return new Limited(spec.minReplicas(), "TooFewReplicas");
		}
		if (stabilized > maximumAllowed) {
			return new Limited(maximumAllowed, rateBound ? "ScaleUpLimit" : "TooManyReplicas");
		}
		return new Limited(stabilized, "DesiredWithinRange");
	}

	/**
	 * convertDesiredReplicasWithBehaviorRate: the policies' limits in the direction of
	 * the change, then [min, max].
	 */
	Limited withBehavior(long now, int current, int stabilized, HpaBehavior behavior) {
		if (stabilized > current) {
			int limit = Math.max(current, policyLimit(now, current, behavior.scaleUp(), true));
			boolean rateBound = spec.maxReplicas() > limit;
			int maximumAllowed = rateBound ? limit : spec.maxReplicas();
			if (stabilized > maximumAllowed) {
				return new Limited(maximumAllowed, rateBound ? "ScaleUpLimit" : "TooManyReplicas");
			}
		}
		else if (stabilized < current) {
			int limit = Math.min(current, policyLimit(now, current, behavior.scaleDown(), false));
			boolean rateBound = spec.minReplicas() < limit;
			int minimumAllowed = rateBound ? limit : spec.minReplicas();
			if (stabilized < minimumAllowed) {
				return new Limited(minimumAllowed, rateBound ? "ScaleDownLimit" : "TooFewReplicas");
			}
		}
		return new Limited(stabilized, "DesiredWithinRange");
	}

	/**
	 * calculateScaleUpLimitWithScalingRules, calculateScaleDownLimitWithBehaviors: each
	 * policy's limit from the count at the start of its period; {@code Max} takes the
	 * policy allowing the biggest change, {@code Min} the smallest.
	 */
	private int policyLimit(long now, int current, ScalingRules rules, boolean up) {
		if (rules.selectPolicy().equals("Disabled")) {
			return current;
		}
		IntStream limits = rules.policies().stream().mapToInt(p -> {
			int periodStart = current - changeInPeriod(now, p.periodSeconds(), scaleUpEvents)
					+ changeInPeriod(now, p.periodSeconds(), scaleDownEvents);
			return up ? p.scaleUpLimit(periodStart) : p.scaleDownLimit(periodStart);
		});
		boolean biggestChange = rules.selectPolicy().equals("Max");
		return biggestChange == up ? limits.max().getAsInt() : limits.min().getAsInt();
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
	void rescaled(long now, int from, int to) {
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
