package dev.cumsum.loadtest.rehearsal;

import java.util.ArrayList;
import java.util.List;

/**
 * The per-metric replica computation of Kubernetes' replica_calculator.go for the metric
 * kinds the chart renders. Values are integers in milli-units as resource.Quantity
 * MilliValue gives them; averages use integer division like metrics/utilization.go.
 */
public final class ReplicaCalculator {

	private final ControllerConfig config;

	public ReplicaCalculator(ControllerConfig config) {
		this.config = config;
	}

	/**
	 * A pod's value for the metric being computed: null when the metrics API has none.
	 */
	private interface Value {

		Long of(Pod pod);

	}

	/**
	 * Pods grouped as groupPods does; {@code values} hold the ready pods' values
	 * (index-aligned with {@code ready}).
	 */
	private record Groups(List<Pod> ready, List<Long> values, List<Pod> unready, List<Pod> missing) {
	}

	/**
	 * A Pods metric with an AverageValue target (calcPlainMetricReplicas). Only Pending
	 * pods are set aside; a running pod that is not ready counts with its value, or as
	 * missing without one.
	 */
	public Proposal podsMetric(int currentReplicas, long targetMilli, List<Pod> pods, Tolerances tolerances) {
		if (pods.isEmpty()) {
			return Proposal.invalid("no pods returned by selector while calculating replica count");
		}
		Groups g = group(pods, Pod::metricMilli, false, 0);
		if (g.values().isEmpty()) {
			return Proposal.invalid("did not receive metrics for targeted pods (pods might be unready)");
		}
		long usage = average(g.values());
		double ratio = (double) usage / targetMilli;
		boolean scaleUpWithUnready = !g.unready().isEmpty() && ratio > 1.0;
		if (!scaleUpWithUnready && g.missing().isEmpty()) {
			if (tolerances.isWithin(ratio)) {
				return Proposal.of(currentReplicas, usage);
			}
			return Proposal.of((int) Math.ceil(ratio * g.ready().size()), usage);
		}
		List<Long> filled = new ArrayList<>(g.values());
		for (int i = 0; i < g.missing().size(); i++) {
			// a ratio of exactly 1 fills nothing in
			if (ratio < 1.0) {
				filled.add(targetMilli); // scale-down: missing pods use the target
			}
			else if (ratio > 1.0) {
				filled.add(0L); // scale-up: missing pods use nothing
			}
		}
		if (scaleUpWithUnready) {
			for (int i = 0; i < g.unready().size(); i++) {
				filled.add(0L);
			}
		}
		double newRatio = (double) average(filled) / targetMilli;
		return Proposal.of(dampened(currentReplicas, ratio, newRatio, filled.size(), tolerances), usage);
	}

	/**
	 * A cpu Resource metric with a Utilization target (GetResourceReplicas): utilization
	 * is the integer percent of the summed usage over the summed requests; for CPU, pods
	 * still starting are set aside (the cpu-initialization-period and
	 * initial-readiness-delay rules of groupPods).
	 */
	public Proposal cpuUtilization(long now, int currentReplicas, int targetPercent, List<Pod> pods,
			Tolerances tolerances) {
		if (pods.isEmpty()) {
			return Proposal.invalid("no pods returned by selector while calculating replica count");
		}
		Groups g = group(pods, Pod::cpuMilli, true, now);
		if (g.values().isEmpty()) {
			return Proposal.invalid("did not receive metrics for targeted pods (pods might be unready)");
		}
		for (Pod p : pods) {
			if (p.cpuRequestMilli() <= 0) {
				return Proposal.invalid("missing request for cpu");
			}
		}
		List<Long> usages = new ArrayList<>(g.values());
		List<Long> requests = new ArrayList<>(g.ready().stream().map(Pod::cpuRequestMilli).toList());
		int utilization = utilization(usages, requests);
		double ratio = (double) utilization / targetPercent;
		boolean scaleUpWithUnready = !g.unready().isEmpty() && ratio > 1.0;
		if (!scaleUpWithUnready && g.missing().isEmpty()) {
			if (tolerances.isWithin(ratio)) {
				return Proposal.of(currentReplicas, utilization);
			}
			return Proposal.of((int) Math.ceil(ratio * g.ready().size()), utilization);
		}
		for (Pod p : g.missing()) {
			if (ratio < 1.0) {
				// scale-down: a missing pod uses its whole request, or the target when
				// that is above 100%
				usages.add(p.cpuRequestMilli() * Math.max(100, targetPercent) / 100);
				requests.add(p.cpuRequestMilli());
			}
			else if (ratio > 1.0) {
				usages.add(0L);
				requests.add(p.cpuRequestMilli());
			}
		}
		if (scaleUpWithUnready) {
			for (Pod p : g.unready()) {
				usages.add(0L);
				requests.add(p.cpuRequestMilli());
			}
		}
		double newRatio = (double) utilization(usages, requests) / targetPercent;
		return Proposal.of(dampened(currentReplicas, ratio, newRatio, usages.size(), tolerances), utilization);
	}

	/**
	 * An External metric with an AverageValue target (GetExternalPerPodMetricReplicas):
	 * the summed value against target x status.replicas, then ceil(total / target); pods
	 * are not looked at, so missing or unready pods do not damp anything. The usage is
	 * the per-pod average the HPA reports in its status.
	 */
	public Proposal externalPerPod(int statusReplicas, long targetMilli, List<Long> valuesMilli,
			Tolerances tolerances) {
		if (valuesMilli == null) {
			return Proposal.invalid("unable to get external metric");
		}
		long usage = 0;
		for (long v : valuesMilli) {
			usage += v;
		}
		int replicas = statusReplicas;
		double ratio = (double) usage / ((double) targetMilli * statusReplicas);
		if (!tolerances.isWithin(ratio)) {
			replicas = (int) Math.min(Integer.MAX_VALUE, Math.ceil((double) usage / targetMilli));
		}
		long perPod = statusReplicas == 0 ? usage : (long) Math.ceil((double) usage / statusReplicas);
		return Proposal.of(replicas, perPod);
	}

	/**
	 * The recomputation with filled-in pods: no change inside the band or when the
	 * direction flips.
	 */
	private static int dampened(int currentReplicas, double ratio, double newRatio, int counted,
			Tolerances tolerances) {
		if (tolerances.isWithin(newRatio) || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0)) {
			return currentReplicas;
		}
		int replicas = (int) Math.ceil(newRatio * counted);
		if ((newRatio < 1.0 && replicas > currentReplicas) || (newRatio > 1.0 && replicas < currentReplicas)) {
			return currentReplicas;
		}
		return replicas;
	}

	private Groups group(List<Pod> pods, Value value, boolean cpu, long now) {
		List<Pod> ready = new ArrayList<>();
		List<Long> values = new ArrayList<>();
		List<Pod> missing = new ArrayList<>();
		List<Pod> unready = new ArrayList<>();
		for (Pod p : pods) {
			if (p.deleted() || p.phase() == PodPhase.FAILED) {
				continue; // ignored
			}
			if (p.phase() == PodPhase.PENDING) {
				unready.add(p);
				continue;
			}
			Long v = value.of(p);
			if (v == null) {
				missing.add(p);
				continue;
			}
			if (cpu && isUnreadyForCpu(p, now)) {
				unready.add(p);
				continue;
			}
			ready.add(p);
			values.add(v);
		}
		return new Groups(ready, values, unready, missing);
	}

	/**
	 * groupPods for CPU: without a Ready condition or start time the sample is set aside;
	 * within the cpu-initialization-period after start, also when the pod is not ready or
	 * the sample's window began before it became ready; after that period only a pod that
	 * is not ready and has never been ready (its condition changed within
	 * initial-readiness-delay of the start).
	 */
	private boolean isUnreadyForCpu(Pod p, long now) {
		if (p.ready() == null || p.startTime() == null) {
			return true;
		}
		if (p.startTime() + config.cpuInitializationPeriodSeconds() > now) {
			return !p.ready() || p.cpuTimestamp() < p.readyTransitionTime() + p.cpuWindow();
		}
		return !p.ready() && p.startTime() + config.initialReadinessDelaySeconds() > p.readyTransitionTime();
	}

	private static long average(List<Long> values) {
		long sum = 0;
		for (long v : values) {
			sum += v;
		}
		return sum / values.size();
	}

	private static int utilization(List<Long> usages, List<Long> requests) {
		long used = 0;
		long requested = 0;
		for (int i = 0; i < usages.size(); i++) {
			used += usages.get(i);
			requested += requests.get(i);
		}
		return (int) (used * 100 / requested);
	}

}
