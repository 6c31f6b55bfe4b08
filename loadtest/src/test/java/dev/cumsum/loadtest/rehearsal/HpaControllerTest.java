package dev.cumsum.loadtest.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Worked examples from the Kubernetes documentation page "Horizontal Pod Autoscaling" (algorithm
 * details, scaling policies, stabilization window, default behavior, selectPolicy Min/Disabled).
 */
class HpaControllerTest {

    private static final ScalingRules NO_LIMIT_DOWN = new ScalingRules(0, "Max", List.of(ScalingPolicy.percent(100, 15)));

    private static double[] pods(int n, double value) {
        double[] m = new double[n];
        Arrays.fill(m, value);
        return m;
    }

    private static HpaSpec spec(int min, int max, double target, ScalingRules up, ScalingRules down) {
        return new HpaSpec(min, max, target, up, down, HpaSpec.DEFAULT_TOLERANCE);
    }

    @Test
    void ratioOfTwoDoublesAndRatioOfAHalfHalves() {
        // "if the current metric value is 200m, and the desired value is 100m, the number of replicas will be doubled"
        var hpa = new HpaController(spec(1, 100, 100, ScalingRules.defaultScaleUp(), NO_LIMIT_DOWN));
        assertThat(hpa.reconcile(0, 4, pods(4, 200), 0)).isEqualTo(8);
        // "If the current value is instead 50m, you'll halve the number of replicas"
        var hpa2 = new HpaController(spec(1, 100, 100, ScalingRules.defaultScaleUp(), NO_LIMIT_DOWN));
        assertThat(hpa2.reconcile(0, 8, pods(8, 50), 0)).isEqualTo(4);
    }

    @Test
    void ratiosWithinTheToleranceBandChangeNothing() {
        var hpa = new HpaController(spec(1, 100, 100, ScalingRules.defaultScaleUp(), NO_LIMIT_DOWN));
        // (exactly 1.10 is not representable in binary: the band edge is fuzzy, in Kubernetes too)
        assertThat(hpa.reconcile(0, 10, pods(10, 109), 0)).as("ratio 1.09").isEqualTo(10);
        assertThat(hpa.reconcile(15, 10, pods(10, 91), 0)).as("ratio 0.91").isEqualTo(10);
        assertThat(hpa.reconcile(30, 10, pods(10, 111), 0)).as("ratio 1.11: ceil(11.1)").isEqualTo(12);
    }

    @Test
    void defaultScaleUpDoublesOrAddsFourPodsEvery15Seconds() {
        // "4 pods or a 100% of the currently running replicas may at most be added every 15 seconds"
        var hpa = new HpaController(spec(1, 100, 10, ScalingRules.defaultScaleUp(), ScalingRules.defaultScaleDown()));
        int replicas = 1;
        List<Integer> curve = new ArrayList<>();
        for (long t = 0; t <= 60; t += 15) {
            // overwhelming load: 1000/s in total, target 10/s per pod -> 100 pods wanted
            replicas = hpa.reconcile(t, replicas, pods(replicas, 1000.0 / replicas), 0);
            curve.add(replicas);
        }
        // 1 -> max(2, 5) = 5 -> max(10, 9) = 10 -> 20 -> 40 -> 80
        assertThat(curve).containsExactly(5, 10, 20, 40, 80);
    }

    @Test
    void scaleUpLimitCountsWhatWasAddedEarlierInThePeriod() {
        var up = new ScalingRules(0, "Max", List.of(ScalingPolicy.pods(2, 60)));
        var hpa = new HpaController(spec(1, 100, 10, up, ScalingRules.defaultScaleDown()));
        assertThat(hpa.reconcile(0, 2, pods(2, 100), 0)).isEqualTo(4);
        assertThat(hpa.reconcile(15, 4, pods(4, 100), 0)).as("2 already added in this 60 s period").isEqualTo(4);
        assertThat(hpa.reconcile(45, 4, pods(4, 100), 0)).isEqualTo(4);
        assertThat(hpa.reconcile(60, 4, pods(4, 100), 0)).as("the event at t=0 left the period").isEqualTo(6);
    }

    @Test
    void scaleDownFrom80To10WithPodsAndPercentPolicies() {
        // "if there are 80 replicas and the target has to be scaled down to 10 replicas then during the
        // first step 8 replicas will be reduced. In the next iteration when the number of replicas is 72,
        // 10% of the pods is 7.2 but the number is rounded up to 8. ... When the number of replicas falls
        // below 40 the first policy (Pods) is applied and 4 replicas will be reduced at a time."
        var down = new ScalingRules(0, "Max", List.of(ScalingPolicy.pods(4, 60), ScalingPolicy.percent(10, 60)));
        var hpa = new HpaController(spec(10, 100, 100, ScalingRules.defaultScaleUp(), down));
        int replicas = 80;
        List<Integer> steps = new ArrayList<>();
        for (long t = 0; t <= 900; t += 15) {
            // total load fits 10 pods
            int next = hpa.reconcile(t, replicas, pods(replicas, 990.0 / replicas), 0);
            if (next != replicas) {
                steps.add(replicas - next);
                assertThat(t % 60).as("one step per 60 s period").isZero();
            }
            replicas = next;
        }
        assertThat(replicas).isEqualTo(10);
        assertThat(steps.subList(0, 2)).containsExactly(8, 8);
        // 80 72 64 57 51 45 40 36 32 28 24 20 16 12 10: below 40 the Pods policy's 4 (or more) per step
        assertThat(steps).containsExactly(8, 8, 7, 6, 6, 5, 4, 4, 4, 4, 4, 4, 4, 2);
    }

    @Test
    void selectPolicyMinTakesTheSmallestChange() {
        // "To ensure that no more than 5 Pods are removed per minute, ... set selectPolicy to minimum"
        var down = new ScalingRules(0, "Min", List.of(ScalingPolicy.percent(10, 60), ScalingPolicy.pods(5, 60)));
        var hpa = new HpaController(spec(1, 200, 100, ScalingRules.defaultScaleUp(), down));
        assertThat(hpa.reconcile(0, 100, pods(100, 10), 0)).as("10% would be 10; Pods caps at 5").isEqualTo(95);
        var hpa2 = new HpaController(spec(1, 200, 100, ScalingRules.defaultScaleUp(), down));
        assertThat(hpa2.reconcile(0, 30, pods(30, 10), 0)).as("10% of 30 is 3 < 5").isEqualTo(27);
    }

    @Test
    void selectPolicyDisabledTurnsOffThatDirection() {
        var down = new ScalingRules(0, "Disabled", List.of(ScalingPolicy.percent(100, 15)));
        var hpa = new HpaController(spec(1, 10, 100, ScalingRules.defaultScaleUp(), down));
        assertThat(hpa.reconcile(0, 6, pods(6, 1), 0)).isEqualTo(6);
        assertThat(hpa.reconcile(600, 6, pods(6, 1), 0)).isEqualTo(6);
        assertThat(hpa.reconcile(615, 6, pods(6, 300), 0)).as("scale-up still works").isEqualTo(10);
    }

    @Test
    void scaleDownIsHeldByTheStabilizationWindow() {
        // "the highest recommendation in the last 5 minutes": a burst's recommendation holds the scale
        var hpa = new HpaController(spec(1, 20, 50, ScalingRules.defaultScaleUp(), ScalingRules.defaultScaleDown()));
        int replicas = hpa.reconcile(0, 4, pods(4, 100), 0); // 400/s -> 8
        assertThat(replicas).isEqualTo(8);
        for (long t = 15; t < 300; t += 15) {
            replicas = hpa.reconcile(t, replicas, pods(replicas, 10.0 / replicas), 0); // load gone: 1 pod wanted
            assertThat(replicas).as("t=%d s: the 8 recommended at t=0 is still in the window", t).isEqualTo(8);
        }
        // at t=300 the t=0 recommendation has left the window; all later ones said 1
        assertThat(hpa.reconcile(300, replicas, pods(replicas, 10.0 / replicas), 0)).isEqualTo(1);
    }

    @Test
    void scaleUpStabilizationTakesTheLowestRecentRecommendation() {
        var up = new ScalingRules(60, "Max", List.of(ScalingPolicy.percent(100, 15)));
        var hpa = new HpaController(spec(1, 20, 50, up, NO_LIMIT_DOWN));
        assertThat(hpa.reconcile(0, 2, pods(2, 50), 0)).isEqualTo(2); // recommends 2
        assertThat(hpa.reconcile(15, 2, pods(2, 150), 0)).as("min(2, 6) within 60 s").isEqualTo(2);
        assertThat(hpa.reconcile(60, 2, pods(2, 150), 0)).as("t=0 left the window: min(6, 6)").isEqualTo(4);
    }

    @Test
    void boundsClampTheResult() {
        var hpa = new HpaController(spec(2, 10, 50, ScalingRules.defaultScaleUp(), NO_LIMIT_DOWN));
        assertThat(hpa.reconcile(0, 8, pods(8, 500), 0)).as("wants 80, max 10").isEqualTo(10);
        assertThat(hpa.reconcile(15, 10, pods(10, 0), 0)).as("wants 0, min 2").isEqualTo(2);
        assertThat(hpa.reconcile(30, 14, pods(14, 50), 0)).as("above max is brought to max").isEqualTo(10);
        assertThat(hpa.reconcile(45, 1, pods(1, 50), 0)).as("below min is brought to min").isEqualTo(2);
    }

    @Test
    void podsWithoutMetricsDampenScaleUpAndScaleDown() {
        double nan = Double.NaN;
        // 3 pods at 2x target plus 1 not yet running: the unready pod counts as 0 -> 300/4 = 75 -> ceil(1.5*4)=6
        assertThat(HpaController.replicasForMetric(4, pods(3, 100), 1, 50, 0.1)).isEqualTo(6);
        // scale-up: a pod without metric counts as 0: (100+100+0)/3 = 66.7 -> ratio 1.33 -> ceil(4)=4
        assertThat(HpaController.replicasForMetric(3, new double[] {100, 100, nan}, 0, 50, 0.1)).isEqualTo(4);
        // scale-down: a pod without metric counts as the target: (10+10+50)/3 = 23.3 -> ceil(0.467*3) = 2
        assertThat(HpaController.replicasForMetric(3, new double[] {10, 10, nan}, 0, 50, 0.1)).isEqualTo(2);
        // filling in lands in the tolerance band: no change
        assertThat(HpaController.replicasForMetric(3, new double[] {60, 60, nan}, 0, 40, 0.1)).isEqualTo(3);
        // no metric at all: keep the scale
        assertThat(HpaController.replicasForMetric(3, new double[] {nan, nan, nan}, 0, 50, 0.1)).isEqualTo(3);
    }
}
