package dev.cumsum.loadtest.rehearsal;

import java.util.ArrayList;
import java.util.List;

/**
 * The cluster side of a rehearsal: the Deployment's pods by creation time, when each is
 * Pending, Running and ready, what each served, and what the HPA observes of them at a
 * sync (the adapter's or KEDA's rate from Prometheus' scrapes, the resource metrics API's
 * CPU). The rules are those of {@link Rehearsal}.
 */
final class ModelCluster {

	private final Rehearsal.Timing timing;

	private final Rehearsal.PodModel podModel;

	private final boolean cpu;

	/** Per pod, ascending creation order. */
	private final List<Long> createdAt = new ArrayList<>();

	/** The rate each ready pod served at each second from 0. */
	private final double[] perPodServed;

	/** What each starting pod served before second 0. */
	private final double initialPerPod;

	ModelCluster(Rehearsal.Timing timing, Rehearsal.PodModel podModel, boolean cpu, int seconds, int startReplicas,
			double initialLoad) {
		this.timing = timing;
		this.podModel = podModel;
		this.cpu = cpu;
		this.perPodServed = new double[seconds];
		this.initialPerPod = startReplicas == 0 ? 0 : initialLoad / startReplicas;
		for (int i = 0; i < startReplicas; i++) {
			// ready, and scraped over a whole rate window, at second 0
			createdAt.add((long) -timing.rateWindow() - timing.scrapeInterval() - timing.podStartup());
		}
	}

	int replicas() {
		return createdAt.size();
	}

	int readyPods(int t) {
		return (int) createdAt.stream().filter(c -> c + timing.podStartup() <= t).count();
	}

	/**
	 * The load spread evenly over the ready pods at second {@code t}; what each serves.
	 */
	double serve(int t, double load) {
		int ready = readyPods(t);
		double each = ready == 0 ? 0 : load / ready;
		perPodServed[t] = each;
		return each;
	}

	/**
	 * What the HPA reads at a sync at second {@code t}: every pod's phase and readiness,
	 * a pod's rate once it was scraped twice after it became ready (the External metric
	 * is their sum), and with a cpu metric its usage over the last scrape interval.
	 */
	Observation observe(int t) {
		int lastScrape = Math.floorDiv(t, timing.scrapeInterval()) * timing.scrapeInterval();
		List<Pod> pods = new ArrayList<>();
		long externalMilli = 0;
		for (long created : createdAt) {
			long runningAt = created + timing.podPending();
			long readyAt = created + timing.podStartup();
			if (t < runningAt) {
				pods.add(Pod.pending());
				continue;
			}
			Pod pod = Pod.running()
				.withReady(t >= readyAt)
				.startedAt(runningAt)
				.withReadyTransitionTime(t >= readyAt ? readyAt : runningAt);
			if (readyAt <= lastScrape - timing.scrapeInterval()) {
				long from = Math.max(lastScrape - timing.rateWindow(), readyAt);
				// the adapter and KEDA hand the HPA milli-quantities
				long milli = (long) (average(from, lastScrape) * 1000);
				pod = pod.withMetricMilli(milli);
				externalMilli += milli;
			}
			if (cpu && runningAt <= lastScrape - timing.scrapeInterval()) {
				double rate = average(lastScrape - timing.scrapeInterval(), lastScrape);
				long usage = (long) (rate * podModel.cpuMilliPerRequest());
				pod = pod.withCpu(usage, podModel.cpuRequestMilli(), lastScrape, timing.scrapeInterval());
			}
			else if (cpu) {
				pod = pod.withCpu(null, podModel.cpuRequestMilli(), lastScrape, timing.scrapeInterval());
			}
			pods.add(pod);
		}
		return new Observation(createdAt.size(), createdAt.size(), pods, List.of(externalMilli));
	}

	/**
	 * The HPA's count applied at second {@code t}: new pods are created now, scale-down
	 * removes the newest first.
	 */
	void scaleTo(int t, int desired) {
		while (createdAt.size() < desired) {
			createdAt.add((long) t);
		}
		while (createdAt.size() > desired) {
			createdAt.removeLast();
		}
	}

	/**
	 * Average per-pod rate served in [from, to); before second 0 the starting pods served
	 * the starting load.
	 */
	private double average(long from, long to) {
		if (to - from <= 0) {
			return 0;
		}
		double sum = 0;
		for (long s = from; s < to; s++) {
			sum += s < 0 ? initialPerPod : perPodServed[(int) s];
		}
		return sum / (to - from);
	}

}
