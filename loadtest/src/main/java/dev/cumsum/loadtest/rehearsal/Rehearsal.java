package dev.cumsum.loadtest.rehearsal;

import dev.cumsum.loadtest.report.Columns;
import dev.cumsum.loadtest.report.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.LongToDoubleFunction;

/**
 * Replays offered load through a model of the cluster and the HPA, second by second:
 * <ul>
 * <li>the Service spreads the load evenly over ready pods;</li>
 * <li>Prometheus scrapes every {@code scrapeInterval}; the metric the HPA reads for a pod is its average
 *     rate over the {@code rateWindow} ending at the last scrape, and a pod has no value until it was
 *     scraped twice after it became ready;</li>
 * <li>the HPA ({@link HpaController}) syncs every {@code syncPeriod};</li>
 * <li>a new pod serves {@code podStartup} seconds after the HPA asked for it (scheduling, image, JVM start,
 *     readiness probe); removed pods leave at once (newest first, like a ReplicaSet).</li>
 * </ul>
 */
public final class Rehearsal {

    /** Model timing, in seconds. */
    public record Timing(int syncPeriod, int scrapeInterval, int rateWindow, int podStartup) {

        public static Timing defaults() {
            // 15 s sync (kube-controller-manager default), 15 s scrape and the adapter's 1m rate window
            // (docs/metrics.md), 30 s from pod creation to ready (JVM start ~5 s + probes + scheduling)
            return new Timing(15, 15, 60, 30);
        }
    }

    /** What a rehearsal found, besides the curves. */
    public record Summary(int peakReplicas, double peakPerPodRps, int secondsAboveTarget,
                          int finalReplicas, double finalPerPodRps) {
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
        HpaController hpa = new HpaController(spec);
        List<Long> readyAt = new ArrayList<>(); // per pod, ascending creation order
        for (int i = 0; i < startReplicas; i++) {
            readyAt.add((long) -timing.rateWindow() - timing.scrapeInterval());
        }
        double[] perPodServed = new double[seconds];
        long[] times = new long[seconds];
        double[] offeredCol = new double[seconds];
        double[] served = new double[seconds];
        double[] perPod = new double[seconds];
        double[] metricCol = new double[seconds];
        double[] current = new double[seconds];
        double[] desiredCol = new double[seconds];
        double[] ready = new double[seconds];
        double lastMetric = Double.NaN;
        double initialPerPod = startReplicas == 0 ? 0 : offered.applyAsDouble(0) / startReplicas;
        int desired = startReplicas;
        int peak = startReplicas;
        double peakPerPod = 0;
        int above = 0;

        for (int t = 0; t < seconds; t++) {
            if (t % timing.syncPeriod() == 0) {
                int lastScrape = t / timing.scrapeInterval() * timing.scrapeInterval();
                List<Double> metrics = new ArrayList<>();
                int unready = 0;
                for (long r : readyAt) {
                    if (r > t) {
                        unready++;
                    } else if (r <= lastScrape - timing.scrapeInterval()) {
                        long from = Math.max(lastScrape - timing.rateWindow(), r);
                        double sum = 0;
                        for (long s = from; s < lastScrape; s++) {
                            // before second 0 the starting pods served the starting load
                            sum += s < 0 ? initialPerPod : perPodServed[(int) s];
                        }
                        metrics.add(lastScrape - from > 0 ? sum / (lastScrape - from) : 0);
                    } else {
                        metrics.add(Double.NaN);
                    }
                }
                double[] m = metrics.stream().mapToDouble(Double::doubleValue).toArray();
                lastMetric = metrics.stream().filter(d -> !d.isNaN()).mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                desired = hpa.reconcile(t, readyAt.size(), m, unready);
                while (readyAt.size() < desired) {
                    readyAt.add((long) t + timing.podStartup());
                }
                while (readyAt.size() > desired) {
                    readyAt.removeLast();
                }
            }
            final int now = t;
            int readyPods = (int) readyAt.stream().filter(r -> r <= now).count();
            double load = offered.applyAsDouble(t);
            double each = readyPods == 0 ? 0 : load / readyPods;
            perPodServed[t] = each;
            times[t] = startEpoch + t;
            offeredCol[t] = load;
            served[t] = readyPods == 0 ? 0 : load;
            perPod[t] = each;
            metricCol[t] = lastMetric;
            current[t] = readyAt.size();
            desiredCol[t] = desired;
            ready[t] = readyPods;
            peak = Math.max(peak, readyAt.size());
            peakPerPod = Math.max(peakPerPod, each);
            if (each > spec.targetPerPod() * (1 + spec.tolerance())) {
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
        Summary summary = new Summary(peak, peakPerPod, above,
                seconds == 0 ? 0 : (int) current[seconds - 1], seconds == 0 ? 0 : perPod[seconds - 1]);
        return new Result(new Table(times, cols), summary);
    }

    private static double[] constant(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }

    /** Offered load replayed from a report's CSV ({@code rps} column), held constant between rows. */
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
