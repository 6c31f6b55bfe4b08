package dev.cumsum.loadtest.rehearsal;

/**
 * What the replica calculator proposes for one metric: a replica count and the usage it
 * saw (milli-units of the metric, or percent for a utilization target), or why it could
 * not (the metric is invalid for this sync, as an error from replica_calculator.go).
 */
public record Proposal(int replicas, long usage, String error) {

	static Proposal of(int replicas, long usage) {
		return new Proposal(replicas, usage, null);
	}

	static Proposal invalid(String error) {
		return new Proposal(-1, 0, error);
	}

	public boolean valid() {
		return error == null;
	}
}
