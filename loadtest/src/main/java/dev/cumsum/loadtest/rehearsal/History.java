package dev.cumsum.loadtest.rehearsal;

import java.util.ArrayList;
import java.util.List;

/**
 * The controller's memory of one HPA (horizontal.go: recommendations, scaleUpEvents,
 * scaleDownEvents), kept in the kube-controller-manager process only: it starts empty
 * when the HPA is created and after a controller restart. {@code recommendations} null:
 * the controller has never synced this HPA, so its first sync records the current replica
 * count as a recommendation (recordInitialRecommendation).
 */
public record History(List<Recommendation> recommendations, List<ScaleEvent> scaleUpEvents,
		List<ScaleEvent> scaleDownEvents) {

	/** An unstabilized replica count the controller computed at {@code time}. */
	public record Recommendation(long time, int replicas) {
	}

	/**
	 * A rescale at {@code time} by {@code change} replicas (absolute). {@code outdated}:
	 * older than the longest policy period, so the next event of that direction may take
	 * its slot.
	 */
	public record ScaleEvent(long time, int change, boolean outdated) {

		public ScaleEvent(long time, int change) {
			this(time, change, false);
		}
	}

	public History {
		recommendations = recommendations == null ? null : List.copyOf(recommendations);
		scaleUpEvents = List.copyOf(scaleUpEvents);
		scaleDownEvents = List.copyOf(scaleDownEvents);
	}

	/** A new HPA, or any HPA after a controller restart. */
	public static History firstSight() {
		return new History(null, List.of(), List.of());
	}

	/**
	 * Known to the controller with these recommendations (an empty list is not
	 * {@link #firstSight()}).
	 */
	public static History of(List<Recommendation> recommendations) {
		return new History(recommendations, List.of(), List.of());
	}

	public History withScaleUpEvents(List<ScaleEvent> events) {
		return new History(recommendations, events, scaleDownEvents);
	}

	public History withScaleDownEvents(List<ScaleEvent> events) {
		return new History(recommendations, scaleUpEvents, events);
	}

	static <T> List<T> mutable(List<T> list) {
		return list == null ? null : new ArrayList<>(list);
	}
}
