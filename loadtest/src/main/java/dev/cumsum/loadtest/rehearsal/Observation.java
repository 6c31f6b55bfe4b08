package dev.cumsum.loadtest.rehearsal;

import java.util.List;

/**
 * What the HPA controller reads at one sync: the scale subresource of its target
 * (spec.replicas and status.replicas), the pods its selector matches and, for an External
 * metric, the values the external metrics API returns (milli-units, summed by the
 * controller; null: the API returned an error).
 */
public record Observation(int specReplicas, int statusReplicas, List<Pod> pods, List<Long> externalMilli) {

	public Observation {
		pods = List.copyOf(pods);
		externalMilli = externalMilli == null ? null : List.copyOf(externalMilli);
		if (specReplicas < 0 || statusReplicas < 0) {
			throw new IllegalArgumentException("replicas must not be negative");
		}
	}

	/** spec.replicas = status.replicas = the number of pods, no external metric. */
	public static Observation of(List<Pod> pods) {
		return new Observation(pods.size(), pods.size(), pods, null);
	}

	public static Observation of(int replicas, List<Pod> pods) {
		return new Observation(replicas, replicas, pods, null);
	}

	public Observation withExternal(long... values) {
		return new Observation(specReplicas, statusReplicas, pods, java.util.Arrays.stream(values).boxed().toList());
	}
}
