package dev.cumsum.loadtest.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Cases of Kubernetes' pkg/controller/podautoscaler/replica_calculator_test.go, ported by
 * their numbers (inputs and expected outputs); each display name is the upstream test.
 * Upstream runs these with a tolerance of 0.1, a cpu-initialization-period of 2 min and
 * an initial-readiness-delay of 10 s.
 */
class ReplicaCalculatorTest {

	static final ControllerConfig UPSTREAM_TEST_CONFIG = new ControllerConfig(0.1, 300, 120, 10, true);
	static final Tolerances DEFAULT = Tolerances.both(0.1);
	static final long NOW = 10_000;

	/** Upstream's hotCPUCreationTime (now) and coolCPUCreationTime (3 minutes ago). */
	static final long HOT = NOW;
	static final long COOL = NOW - 180;

	final ReplicaCalculator calc = new ReplicaCalculator(UPSTREAM_TEST_CONFIG);

	static List<Pod> podsWith(long... milli) {
		List<Pod> pods = new ArrayList<>();
		for (long m : milli) {
			pods.add(Pod.withMetric(m));
		}
		return pods;
	}

	/**
	 * Pods reporting CPU {@code usage} millicores each, 1000m requested (upstream's 1.0
	 * per container, both containers alike).
	 */
	static List<Pod> cpuPods(long... usage) {
		List<Pod> pods = new ArrayList<>();
		for (long u : usage) {
			pods.add(Pod.running().withCpu(u, 1000, 0, 60));
		}
		return pods;
	}

	@Test
	@DisplayName("TestReplicaCalcScaleUpCM: 20, 10, 30 against 15 -> 4, usage 20000m")
	void scaleUpCM() {
		Proposal p = calc.podsMetric(3, 15_000, podsWith(20_000, 10_000, 30_000), DEFAULT);
		assertThat(p.replicas()).isEqualTo(4);
		assertThat(p.usage()).isEqualTo(20_000);
	}

	@Test
	@DisplayName("TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale: a running pod that is not ready counts with its value")
	void runningNotReadyPodCountsForPodsMetrics() {
		List<Pod> pods = podsWith(50_000, 10_000, 30_000);
		pods.set(2, pods.get(2).withReady(false).startedAt(HOT));
		Proposal p = calc.podsMetric(3, 15_000, pods, DEFAULT);
		assertThat(p.replicas()).isEqualTo(6);
		assertThat(p.usage()).isEqualTo(30_000);
	}

	@Test
	@DisplayName("TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown: integer milli average 95000/3 = 31666 -> 7")
	void integerMilliAverage() {
		List<Pod> pods = podsWith(50_000, 15_000, 30_000);
		pods.set(0, pods.get(0).withReady(false).startedAt(HOT));
		pods.set(2, pods.get(2).withReady(false).startedAt(HOT));
		Proposal p = calc.podsMetric(3, 15_000, pods, DEFAULT);
		assertThat(p.usage()).isEqualTo(31_666);
		assertThat(p.replicas()).isEqualTo(7);
	}

	@Test
	@DisplayName("TestReplicaCalcScaleDownCM: five pods at 12 against 20 -> 3")
	void scaleDownCM() {
		assertThat(calc.podsMetric(5, 20_000, podsWith(12_000, 12_000, 12_000, 12_000, 12_000), DEFAULT).replicas())
			.isEqualTo(3);
	}

	@Test
	@DisplayName("TestReplicaCalcToleranceCM: 20666m against 20000m is inside 10% -> 3")
	void toleranceCM() {
		Proposal p = calc.podsMetric(3, 20_000, podsWith(20_000, 21_000, 21_000), DEFAULT);
		assertThat(p.replicas()).isEqualTo(3);
		assertThat(p.usage()).isEqualTo(20_666);
	}

	@Test
	@DisplayName("TestReplicaCalcConfigurableToleranceCM: with a 1% scale-up tolerance the same load -> 4")
	void configurableToleranceCM() {
		assertThat(calc.podsMetric(3, 20_000, podsWith(20_000, 21_000, 21_000), new Tolerances(0.1, 0.01)).replicas())
			.isEqualTo(4);
	}

	@Test
	@DisplayName("Tolerances.isWithin is inclusive: a ratio of exactly 1.1 keeps the count with a 10% tolerance")
	void toleranceIsInclusive() {
		long[] at110 = new long[10];
		long[] at90 = new long[10];
		java.util.Arrays.fill(at110, 22_000);
		java.util.Arrays.fill(at90, 18_000);
		// exactly 1 + 0.1 and 1 - 0.1: no change (an exclusive band would give 12 and 9)
		assertThat(calc.podsMetric(10, 20_000, podsWith(at110), DEFAULT).replicas()).isEqualTo(10);
		assertThat(calc.podsMetric(10, 20_000, podsWith(at90), DEFAULT).replicas()).isEqualTo(10);
		assertThat(calc.podsMetric(3, 20_000, podsWith(22_001, 22_001, 22_001), DEFAULT).replicas()).isEqualTo(4);
	}

	@Test
	@DisplayName("TestPlainMetricReplicaCalcMissingMetricsNoChangeEq: ratio exactly 1 with pods missing a metric -> no change")
	void missingMetricsAtRatioOneFillNothing() {
		List<Pod> pods = podsWith(20_000, 19_000, 21_000);
		pods.add(Pod.running());
		pods.add(Pod.running());
		assertThat(calc.podsMetric(5, 20_000, pods, DEFAULT).replicas()).isEqualTo(5);
	}

	@Test
	@DisplayName("TestReplicaCalcDuringRollingUpdateWithMaxSurgeCM: a missing pod filled with the target would reverse the direction -> 2")
	void missingPodReversingDirectionChangesNothing() {
		List<Pod> pods = podsWith(10_000, 10_000);
		pods.add(Pod.running());
		assertThat(calc.podsMetric(2, 17_000, pods, DEFAULT).replicas()).isEqualTo(2);
	}

	@Test
	@DisplayName("calcPlainMetricReplicas: Pending pods are set aside and count as 0 on scale-up; without metrics at all the metric is invalid")
	void pendingPodsAndNoMetrics() {
		List<Pod> pods = podsWith(100_000, 100_000, 100_000);
		pods.add(Pod.pending());
		// 3 x 2x target; the pending pod as 0: 300/4 = 75 against 50 -> ceil(1.5 x 4) = 6
		assertThat(calc.podsMetric(4, 50_000, pods, DEFAULT).replicas()).isEqualTo(6);
		// scale-down: a pending pod is just ignored (no target filled in): 3 pods at 10
		// against 50 -> 1
		List<Pod> low = podsWith(10_000, 10_000, 10_000);
		low.add(Pod.pending());
		assertThat(calc.podsMetric(4, 50_000, low, DEFAULT).replicas()).isEqualTo(1);
		assertThat(calc.podsMetric(3, 50_000, List.of(Pod.running(), Pod.pending()), DEFAULT).valid()).isFalse();
		assertThat(calc.podsMetric(3, 50_000, List.of(), DEFAULT).error()).contains("no pods");
	}

	@Test
	@DisplayName("TestReplicaCalcResourceScale \"scale up\": 30%, 50%, 70% against 30% -> 5")
	void cpuScaleUp() {
		Proposal p = calc.cpuUtilization(NOW, 3, 30, cpuPods(300, 500, 700), DEFAULT);
		assertThat(p.replicas()).isEqualTo(5);
		assertThat(p.usage()).isEqualTo(50);
	}

	@Test
	@DisplayName("TestReplicaCalcResourceScale \"scale up: unready pod scales less\" -> 4, and \"hot-CPU pod scales less\" -> 4")
	void cpuUnreadyAndHotPodsScaleLess() {
		List<Pod> unready = cpuPods(300, 500, 700);
		unready.set(0, unready.get(0).withReady(false));
		assertThat(calc.cpuUtilization(NOW, 3, 30, unready, DEFAULT).replicas()).isEqualTo(4);
		List<Pod> hot = cpuPods(300, 500, 700);
		hot.set(0, hot.get(0).startedAt(HOT));
		hot.set(1, hot.get(1).startedAt(COOL));
		hot.set(2, hot.get(2).startedAt(COOL));
		Proposal p = calc.cpuUtilization(NOW, 3, 30, hot, DEFAULT);
		assertThat(p.replicas()).isEqualTo(4);
		assertThat(p.usage()).isEqualTo(60);
	}

	@Test
	@DisplayName("TestReplicaCalcResourceScale \"no scale: unready pods ignored\" -> 3")
	void cpuUnreadyPodsIgnored() {
		List<Pod> pods = cpuPods(400, 500, 700);
		pods.set(1, pods.get(1).withReady(false));
		pods.set(2, pods.get(2).withReady(false));
		assertThat(calc.cpuUtilization(NOW, 3, 30, pods, DEFAULT).replicas()).isEqualTo(3);
	}

	@Test
	@DisplayName("TestReplicaCalcResourceScale \"scale down\" -> 3 (28%), \"exclude unready pods\" -> 2, \"exclude unscheduled pods\" -> 1")
	void cpuScaleDown() {
		Proposal p = calc.cpuUtilization(NOW, 5, 50, cpuPods(100, 300, 500, 250, 250), DEFAULT);
		assertThat(p.replicas()).isEqualTo(3);
		assertThat(p.usage()).isEqualTo(28);
		List<Pod> unready = cpuPods(100, 300, 500, 250, 250);
		unready.set(3, unready.get(3).withReady(false));
		unready.set(4, unready.get(4).withReady(false));
		assertThat(calc.cpuUtilization(NOW, 5, 50, unready, DEFAULT).replicas()).isEqualTo(2);
		List<Pod> unscheduled = new ArrayList<>(cpuPods(100));
		for (int i = 0; i < 4; i++) {
			unscheduled.add(Pod.pending().withCpu(null, 1000, 0, 60));
		}
		assertThat(calc.cpuUtilization(NOW, 5, 50, unscheduled, DEFAULT).replicas()).isEqualTo(1);
	}

	@Test
	@DisplayName("TestReplicaCalcResourceScale \"failed pods ignored\" and \"pods being deleted are ignored\" -> 4")
	void cpuFailedAndDeletedPodsIgnored() {
		List<Pod> failed = cpuPods(500, 700, 0, 0);
		failed.set(2, failed.get(2).withPhase(PodPhase.FAILED).withReady(false));
		failed.set(3, failed.get(3).withPhase(PodPhase.FAILED).withReady(false));
		assertThat(calc.cpuUtilization(NOW, 2, 30, failed, DEFAULT).replicas()).isEqualTo(4);
		List<Pod> deleted = cpuPods(500, 700, 0, 0);
		deleted.set(2, deleted.get(2).deleting().withReady(false));
		deleted.set(3, deleted.get(3).deleting().withReady(false));
		assertThat(calc.cpuUtilization(NOW, 2, 30, deleted, DEFAULT).replicas()).isEqualTo(4);
	}

	@Test
	@DisplayName("TestReplicaCalcMissingMetricsUnreadyScaleDown -> 3 and TestReplicaCalcMissingMetricsScaleDownTargetOver100 -> 2")
	void cpuMissingMetricsOnScaleDown() {
		List<Pod> pods = cpuPods(100, 100, 100);
		pods.set(0, pods.get(0).withReady(false));
		pods.add(Pod.running().withCpu(null, 1000, 0, 60));
		assertThat(calc.cpuUtilization(NOW, 4, 50, pods, DEFAULT).replicas()).isEqualTo(3);
		// requests 1, 1, 2, 2 (x2 containers upstream); the pod without a metric counts
		// as 300% of its request
		List<Pod> over = new ArrayList<>();
		over.add(Pod.running().withReady(false).withCpu(200, 1000, 0, 60));
		over.add(Pod.running().withCpu(100, 1000, 0, 60));
		over.add(Pod.running().withCpu(100, 2000, 0, 60));
		over.add(Pod.running().withCpu(null, 2000, 0, 60));
		Proposal p = calc.cpuUtilization(NOW, 4, 300, over, DEFAULT);
		assertThat(p.replicas()).isEqualTo(2);
		assertThat(p.usage()).isEqualTo(6);
	}

	@Test
	@DisplayName("TestReplicaCalcConfigurableTolerance: 0%, 200% up, 8% up, 36% and 34% down")
	void configurableTolerance() {
		// requests 0.9, 1.0, 1.1 (x2 containers upstream)
		assertThat(calc.cpuUtilization(NOW, 3, 100, requests(909, 1010, 1111), new Tolerances(0, 0)).replicas())
			.isEqualTo(4);
		assertThat(calc.cpuUtilization(NOW, 3, 100, requests(1890, 1910, 1900), new Tolerances(0.1, 2)).replicas())
			.isEqualTo(3);
		assertThat(calc.cpuUtilization(NOW, 3, 100, requests(1100, 1080, 1090), new Tolerances(2, 0.08)).replicas())
			.isEqualTo(4);
		assertThat(calc.cpuUtilization(NOW, 3, 100, requests(660, 640, 650), new Tolerances(0.36, 0.1)).replicas())
			.isEqualTo(3);
		assertThat(calc.cpuUtilization(NOW, 3, 100, requests(660, 640, 650), new Tolerances(0.34, 0.1)).replicas())
			.isEqualTo(2);
	}

	private static List<Pod> requests(long a, long b, long c) {
		return List.of(Pod.running().withCpu(a, 900, 0, 60), Pod.running().withCpu(b, 1000, 0, 60),
				Pod.running().withCpu(c, 1100, 0, 60));
	}

	@Test
	@DisplayName("TestGroupPods, CPU: within the initialization period a sample taken before one window since ready is set aside; later only never-ready pods")
	void cpuInitializationRules() {
		// "count in a ready pod with fresh metrics during initialization period": started
		// 1 min ago, ready 30 s ago, 30 s window
		Pod fresh = Pod.running().startedAt(NOW - 60).withReadyTransitionTime(NOW - 30).withCpu(1000, 1000, NOW, 30);
		// "unready a ready pod without fresh metrics during initialization period": the
		// window is 60 s
		Pod stale = Pod.running().startedAt(NOW - 60).withReadyTransitionTime(NOW - 30).withCpu(1000, 1000, NOW, 60);
		// "count in an unready pod that was ready after initialization period": started
		// 10 min ago, not ready since 9 min
		Pod wasReady = Pod.running()
			.withReady(false)
			.startedAt(NOW - 600)
			.withReadyTransitionTime(NOW - 540)
			.withCpu(1000, 1000, NOW, 60);
		// "unready an unready pod during initialization period": not ready since 6 s
		// after start, within the
		// initial-readiness-delay, so it has never been ready
		Pod neverReady = Pod.running()
			.withReady(false)
			.startedAt(NOW - 600)
			.withReadyTransitionTime(NOW - 594)
			.withCpu(1000, 1000, NOW, 60);
		// "unready pod that has never been ready after initialization period": the
		// condition changed at the
		// end of the delay (10 s), which counts as having been ready
		Pod atDelay = Pod.running()
			.withReady(false)
			.startedAt(NOW - 600)
			.withReadyTransitionTime(NOW - 590)
			.withCpu(1000, 1000, NOW, 60);
		// "unready a pod without ready condition"
		Pod noCondition = Pod.running().withReady(null).startedAt(NOW).withCpu(1000, 1000, NOW, 60);
		// 100% against 50%: counted pods make it ceil(2 x counted); set-aside pods make
		// the scale-up count them as 0
		assertThat(calc.cpuUtilization(NOW, 1, 50, List.of(fresh), DEFAULT).replicas()).isEqualTo(2);
		assertThat(calc.cpuUtilization(NOW, 1, 50, List.of(stale), DEFAULT).valid()).isFalse();
		assertThat(calc.cpuUtilization(NOW, 1, 50, List.of(wasReady), DEFAULT).replicas()).isEqualTo(2);
		assertThat(calc.cpuUtilization(NOW, 1, 50, List.of(neverReady), DEFAULT).valid()).isFalse();
		assertThat(calc.cpuUtilization(NOW, 1, 50, List.of(atDelay), DEFAULT).replicas()).isEqualTo(2);
		assertThat(calc.cpuUtilization(NOW, 1, 50, List.of(noCondition), DEFAULT).valid()).isFalse();
		assertThat(calc.cpuUtilization(NOW, 2, 50, List.of(fresh, stale), DEFAULT).replicas())
			.as("the stale pod as 0: (1000 + 0) / 2000 = 50%% -> no change")
			.isEqualTo(2);
	}

	@Test
	@DisplayName("TestReplicaCalcScaleUpPerPodCMExternal -> 4, ScaleDown -> 3, TolerancePerPod -> 3, ConfigurableTolerancePerPod -> 4")
	void externalPerPod() {
		Proposal up = calc.externalPerPod(3, 2150, List.of(8600L), DEFAULT);
		assertThat(up.replicas()).isEqualTo(4);
		assertThat(up.usage()).isEqualTo(2867);
		Proposal down = calc.externalPerPod(5, 2867, List.of(8600L), DEFAULT);
		assertThat(down.replicas()).isEqualTo(3);
		assertThat(down.usage()).isEqualTo(1720);
		assertThat(calc.externalPerPod(3, 2900, List.of(8600L), DEFAULT).replicas()).isEqualTo(3);
		assertThat(calc.externalPerPod(3, 2800, List.of(8600L), new Tolerances(0.1, 0.01)).replicas()).isEqualTo(4);
		assertThat(calc.externalPerPod(3, 2800, null, DEFAULT).valid()).isFalse();
	}

}
