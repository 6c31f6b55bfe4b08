package dev.cumsum.loadtest.rehearsal;

import java.util.ArrayList;
import java.util.List;

/**
 * The replica computation of the Kubernetes horizontal pod autoscaler for one HPA with one Pods
 * metric (average value per pod), as the Kubernetes documentation describes it: desired =
 * ceil(ratio x pods) with a tolerance band, pods without metrics set aside and filled in
 * conservatively, then the stabilization windows (scale-up takes the lowest recommendation of its
 * window, scale-down the highest), then the rate limits of the behavior policies over their periods,
 * then the min/max bounds. Stateful like the controller: it remembers recommendations and scale events.
 * Times are seconds on any monotonic clock.
 */
public final class HpaController {

    private record Recommendation(long time, int replicas) {
    }

    private record ScaleEvent(long time, int change) {
    }

    private final HpaSpec spec;
    private final List<Recommendation> recommendations = new ArrayList<>();
    private final List<ScaleEvent> scaleUpEvents = new ArrayList<>();
    private final List<ScaleEvent> scaleDownEvents = new ArrayList<>();

    public HpaController(HpaSpec spec) {
        this.spec = spec;
    }

    public HpaSpec spec() {
        return spec;
    }

    /**
     * One sync: returns the replica count the HPA writes to the scale subresource.
     *
     * @param now             seconds
     * @param currentReplicas the workload's spec.replicas
     * @param metrics         the metric per running pod, NaN for a pod without a value yet
     * @param unreadyPods     pods that are not running yet (pending): set aside, 0 on scale-up
     */
    public int reconcile(long now, int currentReplicas, double[] metrics, int unreadyPods) {
        int desired;
        if (currentReplicas > spec.maxReplicas()) {
            desired = spec.maxReplicas();
        } else if (currentReplicas < spec.minReplicas()) {
            desired = spec.minReplicas();
        } else {
            int proposal = replicasForMetric(currentReplicas, metrics, unreadyPods, spec.targetPerPod(), spec.tolerance());
            int stabilized = stabilize(now, currentReplicas, proposal);
            desired = limitRate(now, currentReplicas, stabilized);
        }
        if (desired != currentReplicas) {
            recordScaleEvent(now, currentReplicas, desired);
        }
        return desired;
    }

    /**
     * The metric step for a Pods metric with an AverageValue target: the ratio of the average to the
     * target, with the tolerance band, and the documented treatment of pods without metrics (assumed
     * to use 0 when scaling up and the target when scaling down) and of pods not yet running (set
     * aside, and assumed 0 when scaling up). If filling them in reverses the direction or lands in the
     * tolerance band, nothing changes.
     */
    static int replicasForMetric(int currentReplicas, double[] metrics, int unreadyPods, double target, double tolerance) {
        double sum = 0;
        int ready = 0;
        int missing = 0;
        for (double m : metrics) {
            if (Double.isNaN(m)) {
                missing++;
            } else {
                sum += m;
                ready++;
            }
        }
        if (ready == 0) {
            // no metric at all: the HPA cannot compute anything and keeps the current scale
            return currentReplicas;
        }
        double ratio = sum / ready / target;
        boolean scaleUpWithUnready = unreadyPods > 0 && ratio > 1.0;
        if (!scaleUpWithUnready && missing == 0) {
            if (Math.abs(1.0 - ratio) <= tolerance) {
                return currentReplicas;
            }
            return (int) Math.ceil(ratio * ready);
        }
        double filledSum = sum + (ratio < 1.0 ? missing * target : 0);
        int filledCount = ready + missing + (scaleUpWithUnready ? unreadyPods : 0);
        double newRatio = filledSum / filledCount / target;
        if (Math.abs(1.0 - newRatio) <= tolerance || (ratio < 1.0 && newRatio > 1.0) || (ratio > 1.0 && newRatio < 1.0)) {
            return currentReplicas;
        }
        int replicas = (int) Math.ceil(newRatio * filledCount);
        if ((newRatio < 1.0 && replicas > currentReplicas) || (newRatio > 1.0 && replicas < currentReplicas)) {
            return currentReplicas;
        }
        return replicas;
    }

    /** Scale-up uses the lowest recommendation inside its window, scale-down the highest. */
    private int stabilize(long now, int currentReplicas, int proposal) {
        int up = proposal;
        int down = proposal;
        long upCutoff = now - spec.scaleUp().stabilizationWindowSeconds();
        long downCutoff = now - spec.scaleDown().stabilizationWindowSeconds();
        for (Recommendation r : recommendations) {
            if (r.time() > upCutoff) {
                up = Math.min(up, r.replicas());
            }
            if (r.time() > downCutoff) {
                down = Math.max(down, r.replicas());
            }
        }
        int recommendation = currentReplicas;
        if (recommendation < up) {
            recommendation = up;
        }
        if (recommendation > down) {
            recommendation = down;
        }
        long keep = now - Math.max(spec.scaleUp().stabilizationWindowSeconds(), spec.scaleDown().stabilizationWindowSeconds());
        recommendations.removeIf(r -> r.time() <= keep);
        recommendations.add(new Recommendation(now, proposal));
        return recommendation;
    }

    private int limitRate(long now, int current, int desired) {
        if (desired > current) {
            int limit = Math.max(current, scaleUpLimit(now, current));
            return Math.min(desired, Math.min(spec.maxReplicas(), limit));
        }
        if (desired < current) {
            int limit = Math.min(current, scaleDownLimit(now, current));
            return Math.max(desired, Math.max(spec.minReplicas(), limit));
        }
        return desired;
    }

    private int scaleUpLimit(long now, int current) {
        ScalingRules rules = spec.scaleUp();
        if (rules.selectPolicy().equals("Disabled")) {
            return current;
        }
        boolean min = rules.selectPolicy().equals("Min");
        int result = min ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        for (ScalingPolicy p : rules.policies()) {
            int periodStart = current - changeInPeriod(now, p.periodSeconds(), scaleUpEvents)
                    + changeInPeriod(now, p.periodSeconds(), scaleDownEvents);
            int proposed = p.type().equals("Pods")
                    ? periodStart + p.value()
                    : (int) Math.ceil(periodStart * (1 + p.value() / 100.0));
            result = min ? Math.min(result, proposed) : Math.max(result, proposed);
        }
        return result;
    }

    private int scaleDownLimit(long now, int current) {
        ScalingRules rules = spec.scaleDown();
        if (rules.selectPolicy().equals("Disabled")) {
            return current;
        }
        boolean min = rules.selectPolicy().equals("Min");
        int result = min ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        for (ScalingPolicy p : rules.policies()) {
            int periodStart = current - changeInPeriod(now, p.periodSeconds(), scaleUpEvents)
                    + changeInPeriod(now, p.periodSeconds(), scaleDownEvents);
            // Percent rounds the remaining replicas down, so the allowed change is rounded up
            int proposed = p.type().equals("Pods")
                    ? periodStart - p.value()
                    : (int) (periodStart * (1 - p.value() / 100.0));
            result = min ? Math.max(result, proposed) : Math.min(result, proposed);
        }
        return result;
    }

    private static int changeInPeriod(long now, int periodSeconds, List<ScaleEvent> events) {
        long cutoff = now - periodSeconds;
        int sum = 0;
        for (ScaleEvent e : events) {
            if (e.time() > cutoff) {
                sum += e.change();
            }
        }
        return sum;
    }

    private void recordScaleEvent(long now, int from, int to) {
        if (to > from) {
            scaleUpEvents.add(new ScaleEvent(now, to - from));
            long keep = now - spec.scaleUp().longestPeriodSeconds();
            scaleUpEvents.removeIf(e -> e.time() <= keep);
        } else {
            scaleDownEvents.add(new ScaleEvent(now, from - to));
            long keep = now - spec.scaleDown().longestPeriodSeconds();
            scaleDownEvents.removeIf(e -> e.time() <= keep);
        }
    }
}
