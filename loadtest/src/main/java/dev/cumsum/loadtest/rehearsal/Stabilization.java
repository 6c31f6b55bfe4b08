package dev.cumsum.loadtest.rehearsal;

import dev.cumsum.loadtest.rehearsal.History.Recommendation;
import java.util.ArrayList;
import java.util.List;

/**
 * The controller's recommendations for one HPA and the stabilization windows over them
 * (horizontal.go stabilizeRecommendation, stabilizeRecommendationWithBehaviors): each
 * sync records its unstabilized count and is answered from the counts of its window.
 * {@code recommendations} null until the first sync (recordInitialRecommendation).
 */
final class Stabilization {

	private List<Recommendation> recommendations;

	Stabilization(List<Recommendation> recommendations) {
		this.recommendations = History.mutable(recommendations);
	}

	List<Recommendation> recommendations() {
		return recommendations;
	}

	/**
	 * recordInitialRecommendation: a new HPA (or a restarted controller) holds scale-down
	 * for a window.
	 */
	void firstSight(long now, int currentReplicas) {
		if (recommendations == null) {
			recommendations = new ArrayList<>(List.of(new Recommendation(now, currentReplicas)));
		}
	}

	/**
	 * stabilizeRecommendation (no behavior): the highest recommendation not older than
	 * the downscale window, this one included; it may be above the current count, and
	 * then the HPA scales back up to it.
	 */
	int highestInDownscaleWindow(long now, int proposal, int downWindowSeconds) {
		long cutoff = now - downWindowSeconds;
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
		return max;
	}

	/**
	 * stabilizeRecommendationWithBehaviors: scale-up takes the lowest recommendation of
	 * its window, scale-down the highest of its window, both including this one; the
	 * current count bounded by the two. An unset scale-down window is the controller's
	 * flag (maybeInitScaleDownStabilizationWindow).
	 */
	int withBehaviors(long now, int current, int proposal, HpaBehavior behavior, ControllerConfig config) {
		Integer upWindow = behavior.scaleUp().stabilizationWindowSeconds();
		Integer downWindow = behavior.scaleDown().stabilizationWindowSeconds();
		long upCutoff = now - (upWindow == null ? 0 : upWindow);
		long downCutoff = now - (downWindow == null ? config.downscaleStabilizationSeconds() : downWindow);
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
		record(oldIndex, new Recommendation(now, proposal));
		return Math.min(Math.max(current, up), down);
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

}
