package dev.cumsum.loadtest.rehearsal;

import dev.cumsum.loadtest.report.Columns;
import dev.cumsum.loadtest.report.Table;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.function.LongToDoubleFunction;

/**
 * Replays offered load through a model of the cluster and the HPA, second by second:
 * <ul>
 * <li>the Service spreads the load evenly over ready pods;</li>
 * <li>Prometheus scrapes every {@code scrapeInterval}; the metric the HPA reads for a pod
 * is its average rate over the {@code rateWindow} ending at the last scrape, and a pod
 * has no value until it was scraped twice after it became ready (an External metric,
 * KEDA's mode, is the sum of these rates);</li>
 * <li>the HPA ({@link HpaController}) syncs every {@code syncPeriod}; it is created at
 * second 0, so it starts with no history but the initial recommendation;</li>
 * <li>a new pod is Pending for {@code podPending} seconds, then Running and not ready,
 * and serves {@code podStartup} seconds after the HPA asked for it (scheduling, image,
 * JVM start, readiness); scale-down removes the newest pods first, which stop serving at
 * once;</li>
 * <li>with a cpu metric, a pod uses {@code cpuMilliPerRequest} millicores per request/s
 * it serves, sampled every {@code scrapeInterval} over that interval by the resource
 * metrics API.</li>
 * </ul>
 */
public final class Rehearsal {

	/** Model timing, in seconds. */
	public record Timing(int syncPeriod, int scrapeInterval, int rateWindow, int podStartup, int podPending) {

		public Timing {
			if (syncPeriod <= 0 || scrapeInterval <= 0 || rateWindow <= 0 || podStartup < 0 || podPending < 0
					|| podPending > podStartup) {
				throw new IllegalArgumentException("timing: periods > 0, 0 <= podPending <= podStartup");
			}
		}

		public Timing(int syncPeriod, int scrapeInterval, int rateWindow, int podStartup) {
			this(syncPeriod, scrapeInterval, rateWindow, podStartup, Math.min(DEFAULT_POD_PENDING, podStartup));
		}

		/**
		 * Seconds a new pod stays Pending (scheduled on a node that has the image) by
		 * default.
		 */
		public static final int DEFAULT_POD_PENDING = 5;

		public static Timing defaults() {
			// 15 s sync (kube-controller-manager default), 15 s scrape and the adapter's
			// 1m rate window
			// (docs/metrics.md), 30 s from pod creation to ready (JVM start ~5 s + probes
			// + scheduling)
			return new Timing(15, 15, 60, 30, DEFAULT_POD_PENDING);
		}
	}

	/**
	 * What the rehearsal knows about a pod's CPU (only used when the HPA has a cpu
	 * metric).
	 */
	public record PodModel(double cpuMilliPerRequest, long cpuRequestMilli) {

		public static PodModel none() {
			return new PodModel(0, 0);
		}
	}

	/** What a rehearsal found, besides the curves. */
	public record Summary(int peakReplicas, double peakPerPodRps, int secondsAboveTarget, int finalReplicas,
			double finalPerPodRps) {
	}

	public record Result(Table table, Summary summary) {
	}

	private Rehearsal() {
	}

	/**
	 * @param offered requests/s offered at each second from 0
	 * @param seconds length of the replay
	 * @param startReplicas replicas at second 0 (ready from the start)
	 */
	public static Result run(HpaSpec spec, Timing timing, LongToDoubleFunction offered, int seconds, int startReplicas,
			long startEpoch) {
		return run(spec, ControllerConfig.defaults(), PodModel.none(), timing, offered, seconds, startReplicas,
				startEpoch);
	}

	public static Result run(HpaSpec spec, ControllerConfig config, PodModel podModel, Timing timing,
			LongToDoubleFunction offered, int seconds, int startReplicas, long startEpoch) {
		boolean cpu = spec.metrics().stream().anyMatch(m -> m instanceof HpaMetric.CpuUtilization);
		if (cpu && (podModel.cpuMilliPerRequest() <= 0 || podModel.cpuRequestMilli() <= 0)) {
			throw new IllegalArgumentException("the HPA has a cpu metric: give the CPU per request/s (cpuPerRequest) "
					+ "and the pods' CPU request (resources.requests.cpu)");
		}
		HpaController hpa = new HpaController(spec, config);
		ModelCluster cluster = new ModelCluster(timing, podModel, cpu, seconds, startReplicas,
				offered.applyAsDouble(0));
		long[] times = new long[seconds];
		double[] offeredCol = new double[seconds];
		double[] served = new double[seconds];
		double[] perPod = new double[seconds];
		double[] metricCol = new double[seconds];
		double[] current = new double[seconds];
		double[] desiredCol = new double[seconds];
		double[] ready = new double[seconds];
		double lastMetric = Double.NaN;
		int desired = startReplicas;
		int peak = startReplicas;
		double peakPerPod = 0;
		int above = 0;
		double upTolerance = hpa.tolerances().scaleUp();

		for (int t = 0; t < seconds; t++) {
			if (t % timing.syncPeriod() == 0) {
				Observation observation = cluster.observe(t);
				lastMetric = seenMetric(spec, observation);
				desired = hpa.reconcile(t, observation).desiredReplicas();
				cluster.scaleTo(t, desired);
			}
			int readyPods = cluster.readyPods(t);
			double load = offered.applyAsDouble(t);
			double each = cluster.serve(t, load);
			times[t] = startEpoch + t;
			offeredCol[t] = load;
			served[t] = readyPods == 0 ? 0 : load;
			perPod[t] = each;
			metricCol[t] = lastMetric;
			current[t] = cluster.replicas();
			desiredCol[t] = desired;
			ready[t] = readyPods;
			peak = Math.max(peak, cluster.replicas());
			peakPerPod = Math.max(peakPerPod, each);
			if (each > spec.targetPerPod() * (1 + upTolerance)) {
				above++;
			}
		}
		var cols = new LinkedHashMap<String, double[]>();
		cols.put(Columns.OFFERED_RPS, offeredCol);
		cols.put(Columns.RPS, served);
		cols.put(Columns.POD_RPS + "each ready pod", perPod);
		cols.put(Columns.HPA_METRIC, metricCol);
		cols.put(Columns.HPA_TARGET, constant(seconds, spec.targetPerPod()));
		cols.put(Columns.HPA_CURRENT, current);
		cols.put(Columns.HPA_DESIRED, desiredCol);
		cols.put(Columns.READY_PODS, ready);
		cols.put(Columns.HPA_MIN, constant(seconds, spec.minReplicas()));
		cols.put(Columns.HPA_MAX, constant(seconds, spec.maxReplicas()));
		Summary summary = new Summary(peak, peakPerPod, above, seconds == 0 ? 0 : (int) current[seconds - 1],
				seconds == 0 ? 0 : perPod[seconds - 1]);
		return new Result(new Table(times, cols), summary);
	}

	/**
	 * The per-pod value of the request metric as the HPA sees it (Pods: average of pods
	 * with a value; External: total / pods).
	 */
	private static double seenMetric(HpaSpec spec, Observation o) {
		boolean external = spec.metrics().stream().anyMatch(m -> m instanceof HpaMetric.External);
		if (external) {
			return o.specReplicas() == 0 ? Double.NaN : o.externalMilli().getFirst() / 1000.0 / o.specReplicas();
		}
		return o.pods()
			.stream()
			.filter(p -> p.metricMilli() != null)
			.mapToDouble(p -> p.metricMilli() / 1000.0)
			.average()
			.orElse(Double.NaN);
	}

	private static double[] constant(int n, double v) {
		double[] a = new double[n];
		Arrays.fill(a, v);
		return a;
	}

	/**
	 * Offered load replayed from a report's CSV ({@code rps} column), held constant
	 * between rows.
	 */
	public static LongToDoubleFunction fromTable(Table recorded) {
		long[] times = recorded.times();
		double[] rps = recorded.column(Columns.RPS);
		if (rps == null) {
			throw new IllegalArgumentException("the recorded CSV has no " + Columns.RPS + " column");
		}
		long t0 = times.length == 0 ? 0 : times[0];
		return t -> {
			double v = 0;
			for (int i = 0; i < times.length && times[i] - t0 <= t; i++) {
				if (!Double.isNaN(rps[i])) {
					v = rps[i];
				}
			}
			return v;
		};
	}

}
