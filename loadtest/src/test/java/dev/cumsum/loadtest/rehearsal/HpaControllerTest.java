package dev.cumsum.loadtest.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumsum.loadtest.rehearsal.History.Recommendation;
import dev.cumsum.loadtest.rehearsal.History.ScaleEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The controller against cases of Kubernetes'
 * pkg/controller/podautoscaler/horizontal_test.go (display names are the upstream tests
 * and case names; inputs and expected outputs are upstream's numbers) and the worked
 * examples of the "Horizontal Pod Autoscaling" documentation page. Upstream's
 * horizontal_test.go raises scaleUpLimitFactor to 8 for its whole package, so its
 * no-behavior cases that depend on the factor are not ported; the model keeps Kubernetes'
 * 2.
 */
class HpaControllerTest {

	static final ControllerConfig CONFIG = ControllerConfig.defaults();
	static final long NOW = 100_000;
	static final ScalingRules NO_LIMIT_DOWN = new ScalingRules(0, "Max", List.of(ScalingPolicy.percent(100, 15)));

	/** {@code n} pods, each reporting {@code value} (units) for the Pods metric. */
	static Observation pods(int n, double value) {
		List<Pod> pods = new ArrayList<>();
		for (int i = 0; i < n; i++) {
			pods.add(Pod.withMetric(Math.round(value * 1000)));
		}
		return Observation.of(pods);
	}

	static HpaSpec spec(int min, int max, double target, ScalingRules up, ScalingRules down) {
		return HpaSpec.pods(min, max, target, new HpaBehavior(up, down));
	}

	/**
	 * upstream's generateScalingRules: Max, a Pods and/or a Percent policy, the window.
	 */
	static ScalingRules rules(int pods, int podsPeriod, int percent, int percentPeriod, int window) {
		List<ScalingPolicy> policies = new ArrayList<>();
		if (pods != 0) {
			policies.add(ScalingPolicy.pods(pods, podsPeriod));
		}
		if (percent != 0) {
			policies.add(ScalingPolicy.percent(percent, percentPeriod));
		}
		return new ScalingRules(window, "Max", policies);
	}

	/**
	 * upstream's generateEventsUniformDistribution: events centred in equal segments of
	 * the last {@code period} seconds.
	 */
	static List<ScaleEvent> uniform(int period, int... changes) {
		List<ScaleEvent> events = new ArrayList<>();
		double segment = (double) period / changes.length;
		for (int i = 0; i < changes.length; i++) {
			long ago = (long) (period - segment * (i + 1) + segment / 2);
			events.add(new ScaleEvent(NOW - ago, changes[i]));
		}
		return events;
	}

	/** An HPA whose metric list fits minReplicas (0 needs an External metric). */
	static HpaSpec anySpec(int min, int max, HpaBehavior behavior) {
		return min == 0 ? new HpaSpec(0, max, List.of(new HpaMetric.External("queue", 1)), behavior)
				: HpaSpec.pods(min, max, 1, behavior);
	}

	// --- documentation examples ---

	@Test
	@DisplayName("docs: a ratio of 2 doubles the replicas, a ratio of 0.5 halves them")
	void ratioOfTwoDoublesAndRatioOfAHalfHalves() {
		var hpa = new HpaController(spec(1, 100, 100, ScalingRules.defaultScaleUp(), NO_LIMIT_DOWN), CONFIG);
		assertThat(hpa.reconcile(0, pods(4, 200)).desiredReplicas()).isEqualTo(8);
		var hpa2 = new HpaController(spec(1, 100, 100, ScalingRules.defaultScaleUp(), NO_LIMIT_DOWN), CONFIG);
		assertThat(hpa2.reconcile(0, pods(8, 50)).desiredReplicas()).isEqualTo(4);
	}

	@Test
	@DisplayName("docs: default behavior adds 4 pods or 100% per 15 s, whichever is more")
	void defaultScaleUpDoublesOrAddsFourPodsEvery15Seconds() {
		var hpa = new HpaController(spec(1, 100, 10, ScalingRules.defaultScaleUp(), ScalingRules.defaultScaleDown()),
				CONFIG);
		int replicas = 1;
		List<Integer> curve = new ArrayList<>();
		for (long t = 0; t <= 60; t += 15) {
			replicas = hpa.reconcile(t, pods(replicas, 1000.0 / replicas)).desiredReplicas();
			curve.add(replicas);
		}
		assertThat(curve).containsExactly(5, 10, 20, 40, 80);
	}

	@Test
	@DisplayName("docs: scale-down from 80 to 10 with Pods 4 and Percent 10 per 60 s")
	void scaleDownFrom80To10WithPodsAndPercentPolicies() {
		var down = new ScalingRules(0, "Max", List.of(ScalingPolicy.pods(4, 60), ScalingPolicy.percent(10, 60)));
		var hpa = new HpaController(spec(10, 100, 100, ScalingRules.defaultScaleUp(), down), CONFIG);
		int replicas = 80;
		List<Integer> steps = new ArrayList<>();
		for (long t = 0; t <= 900; t += 15) {
			int next = hpa.reconcile(t, pods(replicas, 990.0 / replicas)).desiredReplicas();
			if (next != replicas) {
				steps.add(replicas - next);
				assertThat(t % 60).as("one step per 60 s period").isZero();
			}
			replicas = next;
		}
		assertThat(replicas).isEqualTo(10);
		assertThat(steps).containsExactly(8, 8, 7, 6, 6, 5, 4, 4, 4, 4, 4, 4, 4, 2);
	}

	@Test
	@DisplayName("docs: selectPolicy Disabled turns that direction off")
	void selectPolicyDisabledTurnsOffThatDirection() {
		var down = new ScalingRules(0, "Disabled", List.of(ScalingPolicy.percent(100, 15)));
		var hpa = new HpaController(spec(1, 10, 100, ScalingRules.defaultScaleUp(), down), CONFIG);
		assertThat(hpa.reconcile(0, pods(6, 1)).desiredReplicas()).isEqualTo(6);
		assertThat(hpa.reconcile(600, pods(6, 1)).desiredReplicas()).isEqualTo(6);
		assertThat(hpa.reconcile(615, pods(6, 300)).desiredReplicas()).as("scale-up still works").isEqualTo(10);
	}

	@Test
	@DisplayName("docs: the scale-down window keeps the highest recommendation of the last 300 s")
	void scaleDownIsHeldByTheStabilizationWindow() {
		var hpa = new HpaController(spec(1, 20, 50, ScalingRules.defaultScaleUp(), ScalingRules.defaultScaleDown()),
				CONFIG);
		int replicas = hpa.reconcile(0, pods(4, 100)).desiredReplicas();
		assertThat(replicas).isEqualTo(8);
		for (long t = 15; t < 300; t += 15) {
			replicas = hpa.reconcile(t, pods(replicas, 10.0 / replicas)).desiredReplicas();
			assertThat(replicas).as("t=%d s", t).isEqualTo(8);
		}
		assertThat(hpa.reconcile(300, pods(replicas, 10.0 / replicas)).desiredReplicas()).isEqualTo(1);
	}

	// --- no behavior (item 1) ---

	@Test
	@DisplayName("normalizeDesiredReplicas: without behavior one sync adds at most max(2 x current, 4): 1 -> 4 -> 8, where the default behavior gives 1 -> 5")
	void withoutBehaviorScaleUpIsLimitedToTwiceOrFour() {
		var none = new HpaController(HpaSpec.pods(1, 100, 10, null), CONFIG);
		assertThat(none.reconcile(0, pods(1, 1000)).desiredReplicas()).isEqualTo(4);
		Decision second = none.reconcile(15, pods(4, 250));
		assertThat(second.desiredReplicas()).isEqualTo(8);
		assertThat(second.scalingLimited()).isEqualTo("ScaleUpLimit");
		assertThat(none.history().scaleUpEvents()).as("no behavior, no scale events").isEmpty();
		var defaults = new HpaController(HpaSpec.pods(1, 100, 10, HpaBehavior.defaults()), CONFIG);
		assertThat(defaults.reconcile(0, pods(1, 1000)).desiredReplicas()).isEqualTo(5);
	}

	@Test
	@DisplayName("normalizeDesiredReplicas: without behavior scale-down waits for --horizontal-pod-autoscaler-downscale-stabilization")
	void withoutBehaviorScaleDownWaitsForTheControllerWindow() {
		var hpa = new HpaController(HpaSpec.pods(1, 20, 50, null), CONFIG.withTolerance(0.1), History.of(List.of()));
		assertThat(hpa.reconcile(0, pods(8, 50)).desiredReplicas()).isEqualTo(8);
		for (long t = 15; t <= 300; t += 15) {
			assertThat(hpa.reconcile(t, pods(8, 1)).desiredReplicas()).as("t=%d", t).isEqualTo(8);
		}
		// the 8 of t=0 counts until it is older than the window (stabilizeRecommendation
		// keeps t = cutoff)
		assertThat(hpa.reconcile(315, pods(8, 1)).desiredReplicas()).isEqualTo(1);
		var shortWindow = new HpaController(HpaSpec.pods(1, 20, 50, null), new ControllerConfig(0.1, 60, 300, 30, true),
				History.of(List.of()));
		shortWindow.reconcile(0, pods(8, 50));
		assertThat(shortWindow.reconcile(75, pods(8, 1)).desiredReplicas()).isEqualTo(1);
	}

	@Test
	@DisplayName("stabilizeRecommendation: without behavior the highest recent recommendation wins even above the current count (scales back up)")
	void withoutBehaviorScalesBackUpToARecentHigherRecommendation() {
		var hpa = new HpaController(HpaSpec.pods(1, 20, 50, null), CONFIG,
				History.of(List.of(new Recommendation(NOW - 60, 8))));
		Decision d = hpa.reconcile(NOW, pods(4, 50));
		assertThat(d.metricReplicas()).isEqualTo(4);
		assertThat(d.desiredReplicas()).isEqualTo(8);
		assertThat(d.ableToScale()).isEqualTo("ScaleDownStabilized");
	}

	static Stream<Arguments> normalizeDesiredReplicasCases() {
		return Stream.of(Arguments.of("empty log", List.of(), 5, 5, 1),
				Arguments.of("stabilize", List.of(new Recommendation(NOW - 120, 4), new Recommendation(NOW - 60, 5)), 3,
						5, 3),
				Arguments.of("no stabilize", List.of(new Recommendation(NOW - 120, 1), new Recommendation(NOW - 60, 2)),
						3, 3, 3),
				Arguments.of("no stabilize - old recommendations",
						List.of(new Recommendation(NOW - 600, 10), new Recommendation(NOW - 540, 9)), 3, 3, 2),
				Arguments.of("stabilize - old recommendations",
						List.of(new Recommendation(NOW - 600, 10), new Recommendation(NOW - 60, 4),
								new Recommendation(NOW - 120, 5), new Recommendation(NOW - 540, 9)),
						3, 5, 4));
	}

	@ParameterizedTest(name = "TestNormalizeDesiredReplicas: {0}")
	@MethodSource("normalizeDesiredReplicasCases")
	void normalizeDesiredReplicas(String name, List<Recommendation> recommendations, int prenormalized, int expected,
			int logLength) {
		var hpa = new HpaController(HpaSpec.pods(1, 10, 1, null), CONFIG, History.of(recommendations));
		assertThat(hpa.normalize(NOW, 5, prenormalized).desiredReplicas()).isEqualTo(expected);
		assertThat(hpa.history().recommendations()).hasSize(logLength);
	}

	static Stream<Arguments> convertDesiredReplicasWithRulesCases() {
		return Stream.of(
				Arguments.of("prenormalized desired replicas within range", 5, 7, 3, 8, 7, "DesiredWithinRange"),
				Arguments.of("prenormalized desired replicas < minReplicas", 3, 1, 2, 8, 2, "TooFewReplicas"),
				Arguments.of("prenormalized desired zeroed replicas within range", 1, 0, 0, 10, 0,
						"DesiredWithinRange"),
				Arguments.of("maxReplicas is the limit because maxReplicas < scaleUpLimit", 20, 1000, 1, 10, 10,
						"TooManyReplicas"),
				Arguments.of("scaleUpLimit is the limit because scaleUpLimit < maxReplicas", 3, 1000, 1, 2000, 6,
						"ScaleUpLimit"));
	}

	@ParameterizedTest(name = "TestConvertDesiredReplicasWithRules: {0}")
	@MethodSource("convertDesiredReplicasWithRulesCases")
	void convertDesiredReplicasWithRules(String name, int current, int desired, int min, int max, int expected,
			String condition) {
		var hpa = new HpaController(anySpec(min, max, null), CONFIG, History.of(List.of()));
		Decision d = hpa.normalize(NOW, current, desired);
		assertThat(d.desiredReplicas()).isEqualTo(expected);
		assertThat(d.scalingLimited()).isEqualTo(condition);
	}

	// --- initial recommendation (item 2) ---

	@Test
	@DisplayName("TestScaleDownStabilizeInitialSize: a new HPA (or a restarted controller) records the current count and holds scale-down for the window")
	void initialRecommendationHoldsScaleDown() {
		// TestScaleDownCM's numbers: five pods at 12 against 20 -> 3
		var fresh = new HpaController(HpaSpec.pods(2, 6, 20, null), CONFIG);
		Decision held = fresh.reconcile(NOW, pods(5, 12));
		assertThat(held.metricReplicas()).isEqualTo(3);
		assertThat(held.desiredReplicas()).isEqualTo(5);
		assertThat(held.ableToScale()).isEqualTo("ScaleDownStabilized");
		var known = new HpaController(HpaSpec.pods(2, 6, 20, null), CONFIG, History.of(List.of()));
		assertThat(known.reconcile(NOW, pods(5, 12)).desiredReplicas()).as("TestScaleDownCM").isEqualTo(3);
		// with a behavior: the scale-down window (unset: the controller's 300 s) counts
		// the initial recommendation too
		var withBehavior = new HpaController(HpaSpec.pods(2, 6, 20, HpaBehavior.defaults()), CONFIG);
		assertThat(withBehavior.reconcile(NOW, pods(5, 12)).desiredReplicas()).isEqualTo(5);
		assertThat(withBehavior.reconcile(NOW + 285, pods(5, 12)).desiredReplicas()).isEqualTo(5);
		assertThat(withBehavior.reconcile(NOW + 300, pods(5, 12)).desiredReplicas()).isEqualTo(3);
	}

	@Test
	@DisplayName("TestStabilizeDownscale: recommendations 10 (10 min ago) and 4 (1 min ago) keep 4 where the metric says 2")
	void stabilizeDownscale() {
		var hpa = new HpaController(new HpaSpec(1, 5, List.of(new HpaMetric.CpuUtilization(100)), null), CONFIG,
				History.of(List.of(new Recommendation(NOW - 600, 10), new Recommendation(NOW - 60, 4))));
		// spec.replicas 4, three pods at 50m of 100m requested against 100%
		List<Pod> p = List.of(Pod.running().withCpu(50L, 100, 0, 60), Pod.running().withCpu(50L, 100, 0, 60),
				Pod.running().withCpu(50L, 100, 0, 60));
		Decision d = hpa.reconcile(NOW, new Observation(4, 4, p, null));
		assertThat(d.metricReplicas()).isEqualTo(2);
		assertThat(d.desiredReplicas()).isEqualTo(4);
		assertThat(d.ableToScale()).isEqualTo("ScaleDownStabilized");
	}

	// --- behaviors: stabilization and rate limits ---

	static Stream<Arguments> scalingWithRulesCases() {
		ScalingRules up = ScalingRules.defaultScaleUp();
		ScalingRules down = ScalingRules.defaultScaleDown();
		List<ScaleEvent> none = List.of();
		return Stream.of(
				Arguments.of("prenormalized desired replicas within range", up, down, none, none, 3, 8, 5, 7, 7,
						"DesiredWithinRange"),
				Arguments.of("prenormalized desired replicas < minReplicas", up, down, none, none, 2, 8, 3, 1, 2,
						"TooFewReplicas"),
				Arguments.of("prenormalized desired replicas within range when minReplicas is 0", up, down, none, none,
						0, 10, 1, 0, 0, "DesiredWithinRange"),
				Arguments.of("maxReplicas is the limit because maxReplicas < scaleUpLimit", up, down, none, none, 1, 10,
						20, 1000, 10, "TooManyReplicas"),
				Arguments.of("desired replica count is more than the maximum replica count", up, down, none, none, 100,
						150, 100, 1000, 150, "TooManyReplicas"),
				Arguments.of("scaleUpLimit is the limit because scaleUpLimit < maxReplicas with user policies",
						rules(0, 0, 1, 60, 0), down, none, none, 1, 2000, 3, 1000, 4, "ScaleUpLimit"),
				Arguments.of(
						"scaleDownLimit is the limit because scaleDownLimit > minReplicas with user defined policies",
						up, rules(20, 60, 0, 0, 0), none, none, 3, 2000, 1000, 3, 980, "ScaleDownLimit"),
				Arguments.of("scaleUp with default behavior", up, down, none, none, 1, 1000, 10, 50, 20,
						"ScaleUpLimit"),
				Arguments.of("scaleUp with pods policy larger than percent policy", rules(100, 60, 100, 60, 0), down,
						none, none, 1, 1000, 10, 500, 110, "ScaleUpLimit"),
				Arguments.of("scaleUp with percent policy larger than pods policy", rules(2, 60, 100, 60, 0), down,
						none, none, 1, 1000, 10, 500, 20, "ScaleUpLimit"),
				Arguments.of("scaleUp with spec MaxReplicas limitation with large pod policy", rules(100, 60, 0, 0, 0),
						down, none, none, 1, 1000, 10, 50, 50, "DesiredWithinRange"),
				Arguments.of("scaleUp with spec MaxReplicas limitation with large percent policy",
						rules(10000, 60, 0, 0, 0), down, none, none, 1, 1000, 10, 50, 50, "DesiredWithinRange"),
				Arguments.of("scaleUp with pod policy limitation", rules(30, 60, 0, 0, 0), down, none, none, 1, 1000,
						10, 50, 40, "ScaleUpLimit"),
				Arguments.of("scaleUp with percent policy limitation", rules(0, 0, 200, 60, 0), down, none, none, 1,
						1000, 10, 50, 30, "ScaleUpLimit"),
				Arguments.of("scaleDown with percent policy larger than pod policy", up, rules(20, 60, 1, 60, 300),
						none, none, 1, 1000, 100, 2, 80, "ScaleDownLimit"),
				Arguments.of("scaleDown with pod policy larger than percent policy", up, rules(2, 60, 1, 60, 300), none,
						none, 1, 1000, 100, 2, 98, "ScaleDownLimit"),
				Arguments.of("scaleDown with spec MinReplicas=nil limitation with large pod policy", up,
						rules(100, 60, 0, 0, 300), none, none, 1, 1000, 10, 0, 1, "TooFewReplicas"),
				Arguments.of("scaleDown with spec MinReplicas limitation with large percent policy", up,
						rules(0, 0, 100, 60, 300), none, none, 5, 1000, 10, 2, 5, "TooFewReplicas"),
				Arguments.of("scaleDown with pod policy limitation", up, rules(5, 60, 0, 0, 300), none, none, 1, 1000,
						10, 2, 5, "ScaleDownLimit"),
				Arguments.of("scaleDown with percent policy limitation", up, rules(0, 0, 50, 60, 300), none, none, 1,
						1000, 10, 5, 5, "DesiredWithinRange"),
				Arguments.of("scaleUp with spec MaxReplicas limitation with large pod policy and events",
						rules(300, 60, 0, 0, 0), down, uniform(120, 1, 5, 9), none, 1, 200, 100, 500, 200,
						"TooManyReplicas"),
				Arguments.of("scaleUp with spec MaxReplicas limitation with large percent policy and events",
						rules(0, 0, 10000, 60, 0), down, uniform(120, 1, 5, 9), none, 1, 200, 100, 500, 200,
						"TooManyReplicas"),
				Arguments.of(
						"scaleUp with currentReplicas limitation with rate.PeriodSeconds with a lot of recent scale up events",
						rules(5, 120, 0, 0, 0), down, uniform(120, 1, 5, 9), none, 1, 1000, 100, 500, 100,
						"ScaleUpLimit"),
				Arguments.of("scaleUp with pod policy and previous scale up events", rules(150, 120, 0, 0, 0), down,
						uniform(120, 1, 5, 9), none, 1, 1000, 100, 500, 235, "ScaleUpLimit"),
				Arguments.of("scaleUp with percent policy and previous scale up events", rules(0, 0, 200, 120, 0), down,
						uniform(120, 1, 5, 9), none, 1, 1000, 100, 500, 255, "ScaleUpLimit"),
				Arguments.of("scaleUp with percent policy and previous scale up and down events",
						rules(0, 0, 300, 300, 0), down, uniform(120, 4), uniform(120, 2), 1, 1000, 6, 24, 16,
						"ScaleUpLimit"),
				Arguments.of("scaleDown with default policy and previous events", up, down, none, uniform(120, 1, 5, 9),
						1, 1000, 10, 5, 5, "DesiredWithinRange"),
				Arguments.of("scaleDown with spec MinReplicas=nil limitation with large pod policy and previous events",
						up, rules(115, 120, 0, 0, 300), none, uniform(120, 1, 5, 9), 1, 1000, 100, 0, 1,
						"TooFewReplicas"),
				Arguments.of("scaleDown with spec MinReplicas limitation with large pod policy and previous events", up,
						rules(130, 120, 0, 0, 300), none, uniform(120, 1, 5, 9), 5, 1000, 100, 0, 5, "TooFewReplicas"),
				Arguments.of("scaleDown with spec MinReplicas limitation with large percent policy and previous events",
						up, rules(0, 0, 100, 120, 300), none, uniform(120, 1, 5, 9), 5, 1000, 100, 2, 5,
						"TooFewReplicas"),
				Arguments.of("scaleDown with pod policy limitation and previous events", up, rules(5, 120, 0, 0, 300),
						none, uniform(120, 1, 5, 9), 1, 1000, 100, 2, 100, "ScaleDownLimit"),
				Arguments.of("scaleDown with percent policy limitation and previous events", up,
						rules(0, 0, 50, 120, 300), none, uniform(120, 2, 4, 6), 1, 1000, 100, 0, 56, "ScaleDownLimit"),
				Arguments.of("scaleDown with percent policy and previous scale up and down events", up,
						rules(0, 0, 50, 180, 0), uniform(120, 2), uniform(120, 4), 1, 1000, 10, 1, 6, "ScaleDownLimit"),
				Arguments.of("scaleDown with previous events preventing further scale down", up,
						rules(0, 0, 10, 120, 300), none, uniform(120, 10, 10, 10), 1, 1000, 100, 0, 100,
						"ScaleDownLimit"),
				Arguments.of("scaleDown with with previous events still allowing more scale down", up,
						rules(0, 0, 1000, 120, 300), none, uniform(120, 10, 10, 10), 1, 1000, 10, 5, 5,
						"DesiredWithinRange"),
				Arguments.of("check 'outdated' flag for events for one behavior for up", rules(1000, 60, 0, 0, 0), down,
						uniform(120, 8, 12, 9, 11), none, 1, 1000, 100, 200, 200, "DesiredWithinRange"),
				Arguments.of(
						"check that events were not marked 'outdated' for two different policies in the behavior for up",
						rules(1000, 120, 100, 60, 0), down, uniform(120, 8, 12, 9, 11), none, 1, 1000, 100, 200, 200,
						"DesiredWithinRange"),
				Arguments.of(
						"check that events were marked 'outdated' for two different policies in the behavior for up",
						rules(1000, 30, 100, 60, 0), down, uniform(120, 8, 12, 9, 11), none, 1, 1000, 100, 200, 200,
						"DesiredWithinRange"),
				Arguments.of("check 'outdated' flag for events for one behavior for down", up,
						rules(1000, 60, 0, 0, 300), none, uniform(120, 8, 12, 9, 11), 1, 1000, 100, 5, 5,
						"DesiredWithinRange"),
				Arguments.of(
						"check that events were not marked 'outdated' for two different policies in the behavior for down",
						up, rules(1000, 120, 100, 60, 300), none, uniform(120, 8, 12, 9, 11), 1, 1000, 100, 5, 5,
						"DesiredWithinRange"),
				Arguments.of(
						"check that events were marked 'outdated' for two different policies in the behavior for down",
						up, rules(1000, 30, 100, 60, 300), none, uniform(120, 8, 12, 9, 11), 1, 1000, 100, 5, 5,
						"DesiredWithinRange"));
	}

	@ParameterizedTest(name = "TestScalingWithRules: {0}")
	@MethodSource("scalingWithRulesCases")
	void scalingWithRules(String name, ScalingRules up, ScalingRules down, List<ScaleEvent> upEvents,
			List<ScaleEvent> downEvents, int min, int max, int current, int prenormalized, int expected,
			String condition) {
		var history = History.of(List.of()).withScaleUpEvents(upEvents).withScaleDownEvents(downEvents);
		var hpa = new HpaController(anySpec(min, max, new HpaBehavior(up, down)), CONFIG, history);
		Decision d = hpa.normalize(NOW, current, prenormalized);
		assertThat(d.desiredReplicas()).isEqualTo(expected);
		assertThat(d.scalingLimited()).isEqualTo(condition);
	}

	@Test
	@DisplayName("TestCalculateScaleUpLimitWithScalingRules and TestCalculateScaleDownLimitWithBehaviors: selectPolicy Min")
	void selectPolicyMin() {
		var rules = new ScalingRules(300, "Min", List.of(ScalingPolicy.pods(2, 60), ScalingPolicy.percent(50, 60)));
		var upHpa = new HpaController(
				anySpec(1, 1000, new HpaBehavior(new ScalingRules(0, "Min", rules.policies()), rules)), CONFIG,
				History.of(List.of()));
		assertThat(upHpa.normalize(NOW, 1, 100).desiredReplicas()).as("Pods +2 -> 3, Percent 50 -> 2: Min")
			.isEqualTo(2);
		var downHpa = new HpaController(anySpec(1, 1000, new HpaBehavior(ScalingRules.defaultScaleUp(), rules)), CONFIG,
				History.of(List.of()));
		assertThat(downHpa.normalize(NOW, 5, 1).desiredReplicas()).as("Pods -2 -> 3, Percent 50 -> 2: Min change")
			.isEqualTo(3);
	}

	static Stream<Arguments> normalizeWithBehaviorCases() {
		return Stream.of(Arguments.of("empty recommendations for scaling down", List.of(), 100, 5, 5, List.of(5), 0, 0),
				Arguments.of("simple scale down stabilization", List.of(rec(120, 4), rec(60, 5)), 100, 3, 5,
						List.of(4, 5, 3), 0, 180),
				Arguments.of("simple scale up stabilization", List.of(rec(120, 4), rec(60, 5)), 1, 7, 4,
						List.of(4, 5, 7), 300, 0),
				Arguments.of("no scale down stabilization", List.of(rec(120, 1), rec(60, 2)), 100, 3, 3,
						List.of(1, 2, 3), 300, 0),
				Arguments.of("no scale up stabilization", List.of(rec(120, 4), rec(60, 5)), 1, 3, 3, List.of(4, 5, 3),
						0, 300),
				Arguments.of("no scale down stabilization, reuse recommendation element",
						List.of(rec(600, 10), rec(540, 9)), 100, 3, 3, List.of(10, 3), 0, 0),
				Arguments.of("no scale up stabilization, reuse recommendation element",
						List.of(rec(600, 10), rec(540, 9)), 1, 100, 100, List.of(10, 100), 0, 0),
				Arguments.of("scale down stabilization, reuse one of obsolete recommendation element",
						List.of(rec(600, 10), rec(60, 4), rec(120, 5), rec(540, 9)), 100, 3, 5, List.of(10, 4, 5, 3), 0,
						180),
				Arguments.of("scale up stabilization, reuse one of obsolete recommendation element",
						List.of(rec(6000, 10), rec(60, 6), rec(120, 5), rec(180, 9)), 1, 100, 5, List.of(100, 6, 5, 9),
						300, 0),
				Arguments.of("scale up and down stabilization, do not scale up when prenormalized rec goes down",
						List.of(rec(6000, 2), rec(180, 3)), 2, 1, 2, null, 300, 300),
				Arguments.of("scale up and down stabilization, do not scale down when prenormalized rec goes up",
						List.of(rec(6000, 2), rec(180, 1)), 2, 3, 2, null, 300, 300));
	}

	static Recommendation rec(long ago, int replicas) {
		return new Recommendation(NOW - ago, replicas);
	}

	@ParameterizedTest(name = "TestNormalizeDesiredReplicasWithBehavior: {0}")
	@MethodSource("normalizeWithBehaviorCases")
	void normalizeDesiredReplicasWithBehavior(String name, List<Recommendation> recommendations, int current,
			int prenormalized, int expected, List<Integer> stored, int upWindow, int downWindow) {
		// policies wide enough that only the stabilization shapes the result, as in the
		// upstream test
		var up = new ScalingRules(upWindow, "Max", List.of(ScalingPolicy.pods(1000, 15)));
		var down = new ScalingRules(downWindow, "Max", List.of(ScalingPolicy.percent(100, 15)));
		var hpa = new HpaController(anySpec(1, 1000, new HpaBehavior(up, down)), CONFIG, History.of(recommendations));
		assertThat(hpa.normalize(NOW, current, prenormalized).desiredReplicas()).isEqualTo(expected);
		if (stored != null) {
			assertThat(hpa.history().recommendations()).extracting(Recommendation::replicas)
				.containsExactlyElementsOf(stored);
		}
	}

	static Stream<Arguments> storeScaleEventsCases() {
		return Stream.of(Arguments.of("empty entries with default behavior", List.of(), List.of(), null),
				Arguments.of("empty entries with two-policy-behavior", List.of(), List.of(new ScaleEvent(NOW, 5)),
						rules(10, 60, 100, 60, 0)),
				Arguments.of("one outdated entry to be kept untouched without behavior",
						List.of(new ScaleEvent(NOW - 61, 7)), List.of(new ScaleEvent(NOW, 7)), null),
				Arguments.of("one outdated entry to be replaced with behavior", List.of(new ScaleEvent(NOW - 61, 7)),
						List.of(new ScaleEvent(NOW, 5)), rules(10, 60, 100, 60, 0)),
				Arguments.of("one actual entry to be not touched with behavior", List.of(new ScaleEvent(NOW - 58, 7)),
						List.of(new ScaleEvent(NOW, 7), new ScaleEvent(NOW, 5)), rules(10, 60, 100, 60, 0)),
				Arguments.of("two entries, one of them to be replaced",
						List.of(new ScaleEvent(NOW - 61, 7), new ScaleEvent(NOW - 59, 6)),
						List.of(new ScaleEvent(NOW, 5), new ScaleEvent(NOW, 6)), rules(10, 60, 0, 0, 0)),
				Arguments.of("replace one entry, use policies with different periods",
						List.of(new ScaleEvent(NOW - 29, 8), new ScaleEvent(NOW - 59, 6), new ScaleEvent(NOW - 61, 7),
								new ScaleEvent(NOW - 61, 9)),
						List.of(new ScaleEvent(NOW, 8), new ScaleEvent(NOW, 6), new ScaleEvent(NOW, 7, true),
								new ScaleEvent(NOW, 5)),
						rules(10, 60, 100, 30, 0)),
				Arguments.of("two entries, both actual",
						List.of(new ScaleEvent(NOW - 58, 7), new ScaleEvent(NOW - 59, 6)),
						List.of(new ScaleEvent(NOW, 7), new ScaleEvent(NOW, 6), new ScaleEvent(NOW, 5)),
						rules(10, 120, 100, 30, 0)));
	}

	@ParameterizedTest(name = "TestStoreScaleEvents: {0}")
	@MethodSource("storeScaleEventsCases")
	void storeScaleEvents(String name, List<ScaleEvent> previous, List<ScaleEvent> expected, ScalingRules rules) {
		// a rescale by 5 replicas, up (10 below minReplicas 15) and down (10 above
		// maxReplicas 5)
		var up = new HpaController(
				HpaSpec.pods(15, 20, 1, rules == null ? null : new HpaBehavior(rules, ScalingRules.defaultScaleDown())),
				CONFIG, History.of(List.of()).withScaleUpEvents(previous));
		assertThat(up.reconcile(NOW, pods(10, 1)).desiredReplicas()).isEqualTo(15);
		assertThat(up.history().scaleUpEvents()).extracting(ScaleEvent::change, ScaleEvent::outdated)
			.containsExactlyElementsOf(
					expected.stream().map(e -> org.assertj.core.groups.Tuple.tuple(e.change(), e.outdated())).toList());
		var down = new HpaController(
				HpaSpec.pods(1, 5, 1, rules == null ? null : new HpaBehavior(ScalingRules.defaultScaleUp(), rules)),
				CONFIG, History.of(List.of()).withScaleDownEvents(previous));
		assertThat(down.reconcile(NOW, pods(10, 1)).desiredReplicas()).isEqualTo(5);
		assertThat(down.history().scaleDownEvents()).extracting(ScaleEvent::change, ScaleEvent::outdated)
			.containsExactlyElementsOf(
					expected.stream().map(e -> org.assertj.core.groups.Tuple.tuple(e.change(), e.outdated())).toList());
	}

	@Test
	@DisplayName("TestUpscaleCap (Percent 700 per 60 s: 3 -> 24) and TestUpscaleCapGreaterThanMaxReplicas (-> 20)")
	void upscaleCap() {
		// CPU 100m, 200m, 300m of 100m requests against 10%: 200% -> ratio 20 -> 60
		// wanted
		List<Pod> pods = List.of(Pod.running().withCpu(100L, 100, 0, 60), Pod.running().withCpu(200L, 100, 0, 60),
				Pod.running().withCpu(300L, 100, 0, 60));
		var behavior = new HpaBehavior(rules(0, 0, 700, 60, 0), ScalingRules.defaultScaleDown());
		var capped = new HpaController(new HpaSpec(1, 100, List.of(new HpaMetric.CpuUtilization(10)), behavior),
				CONFIG);
		Decision d = capped.reconcile(NOW, Observation.of(pods));
		assertThat(d.desiredReplicas()).isEqualTo(24);
		assertThat(d.scalingLimited()).isEqualTo("ScaleUpLimit");
		var max = new HpaController(new HpaSpec(1, 20, List.of(new HpaMetric.CpuUtilization(10)), behavior), CONFIG);
		Decision m = max.reconcile(NOW, Observation.of(pods));
		assertThat(m.desiredReplicas()).isEqualTo(20);
		assertThat(m.scalingLimited()).isEqualTo("TooManyReplicas");
	}

	// --- KEDA: External AverageValue (item 5) ---

	@Test
	@DisplayName("TestScaleUpPerPodCMExternal -> 4, TestScaleDownPerPodCMExternal -> 3, TestTolerancePerPodCMExternal -> 4")
	void externalAverageValue() {
		var up = new HpaController(new HpaSpec(2, 6, List.of(new HpaMetric.External("qps", 2.222)), null), CONFIG);
		assertThat(up.reconcile(NOW, Observation.of(pods(3, 0).pods()).withExternal(8600)).desiredReplicas())
			.isEqualTo(4);
		var down = new HpaController(new HpaSpec(2, 6, List.of(new HpaMetric.External("qps", 3)), null), CONFIG,
				History.of(List.of()));
		assertThat(down.reconcile(NOW, Observation.of(pods(5, 0).pods()).withExternal(8600)).desiredReplicas())
			.isEqualTo(3);
		var tolerance = new HpaController(new HpaSpec(2, 6, List.of(new HpaMetric.External("qps", 2.2)), null), CONFIG);
		assertThat(tolerance.reconcile(NOW, Observation.of(pods(4, 0).pods()).withExternal(8600)).desiredReplicas())
			.isEqualTo(4);
	}

	@Test
	@DisplayName("GetExternalPerPodMetricReplicas: no damping for missing or Pending pods, and status.replicas is the divisor")
	void externalIgnoresPods() {
		List<Pod> pods = List.of(Pod.running(), Pod.pending(), Pod.pending());
		var hpa = new HpaController(
				new HpaSpec(1, 20, List.of(new HpaMetric.External("rps", 50)), HpaBehavior.defaults()), CONFIG);
		// 450/s against 50/s per pod: ceil(9) whatever the pods' state; the Pods metric
		// would have no value at all
		assertThat(hpa.reconcile(NOW, Observation.of(pods).withExternal(450_000)).desiredReplicas()).isEqualTo(7);
		assertThat(hpa.reconcile(NOW + 15, Observation.of(7, pods).withExternal(450_000)).desiredReplicas())
			.isEqualTo(9);
		// TestMoreReplicasThanSpecNoScale's situation (surge: spec 4, status 5): 250/s
		// over 5 pods is exactly the target
		var surge = new HpaController(new HpaSpec(1, 8, List.of(new HpaMetric.External("rps", 50)), null), CONFIG);
		assertThat(surge.reconcile(NOW, new Observation(4, 5, pods(5, 50).pods(), null).withExternal(250_000))
			.desiredReplicas()).isEqualTo(5);
	}

	// --- several metrics (item 6) ---

	@Test
	@DisplayName("TestNoBackoffUpscaleCMNoBackoffCpu: the highest proposal of requests/s and CPU wins")
	void highestProposalWins() {
		var spec = new HpaSpec(1, 5, List.of(new HpaMetric.Pods("qps", 15), new HpaMetric.CpuUtilization(10)), null);
		List<Pod> pods = List.of(Pod.withMetric(20_000).withCpu(20_000L, 1000, 0, 60),
				Pod.withMetric(10_000).withCpu(10_000L, 1000, 0, 60),
				Pod.withMetric(30_000).withCpu(30_000L, 1000, 0, 60));
		Decision d = new HpaController(spec, CONFIG).reconcile(NOW, Observation.of(pods));
		assertThat(d.proposals()).extracting(Proposal::replicas).containsExactly(4, 600);
		assertThat(d.desiredReplicas()).isEqualTo(5);
		assertThat(d.scalingLimited()).isEqualTo("TooManyReplicas");
	}

	@Test
	@DisplayName("TestNoScaleDownOneMetricInvalid / TestNoScaleDownOneMetricEmpty: an unreadable metric blocks scale-down; TestScaleUpOneMetricInvalid: not scale-up")
	void anInvalidMetricBlocksScaleDownOnly() {
		var spec = new HpaSpec(2, 6, List.of(new HpaMetric.CpuUtilization(50), new HpaMetric.Pods("rps", 50)), null);
		// CPU says 3 (28% against 50%), the requests/s metric has no value at all
		List<Pod> low = new ArrayList<>();
		for (long u : new long[] { 100, 300, 500, 250, 250 }) {
			low.add(Pod.running().withCpu(u, 1000, 0, 60));
		}
		var down = new HpaController(spec, CONFIG, History.of(List.of()));
		Decision d = down.reconcile(NOW, Observation.of(low));
		assertThat(d.proposals()).extracting(Proposal::valid).containsExactly(true, false);
		assertThat(d.desiredReplicas()).isEqualTo(5);
		assertThat(d.scalingLimited()).isEqualTo("FailedGetMetrics");
		assertThat(down.history().recommendations()).as("nothing recorded").isEmpty();
		// CPU says 4 (40% against 30%), requests/s unreadable: the scale-up happens
		var upSpec = new HpaSpec(2, 6, List.of(new HpaMetric.CpuUtilization(30), new HpaMetric.Pods("rps", 50)), null);
		List<Pod> high = List.of(Pod.running().withCpu(300L, 1000, 0, 60), Pod.running().withCpu(400L, 1000, 0, 60),
				Pod.running().withCpu(500L, 1000, 0, 60));
		assertThat(new HpaController(upSpec, CONFIG).reconcile(NOW, Observation.of(high)).desiredReplicas())
			.isEqualTo(4);
	}

	// --- tolerance (item 4) ---

	@Test
	@DisplayName("tolerancesForHpa: behavior.scaleUp/scaleDown.tolerance apply with HPAConfigurableTolerance, else the flag")
	void perDirectionToleranceNeedsTheFeatureGate() {
		var behavior = new HpaBehavior(ScalingRules.defaultScaleUp().withTolerance(0.01),
				new ScalingRules(0, "Max", List.of(ScalingPolicy.percent(100, 15)), 0.5));
		var spec = HpaSpec.pods(1, 10, 20, behavior);
		assertThat(spec.tolerances(CONFIG)).isEqualTo(new Tolerances(0.5, 0.01));
		// TestReplicaCalcConfigurableToleranceCM's load: 20666m against 20: scale-up with
		// 1%, none with the flag's 10%
		List<Pod> pods = List.of(Pod.withMetric(20_000), Pod.withMetric(21_000), Pod.withMetric(21_000));
		assertThat(new HpaController(spec, CONFIG).reconcile(NOW, Observation.of(pods)).desiredReplicas()).isEqualTo(4);
		var gateOff = new ControllerConfig(0.1, 300, 300, 30, false);
		assertThat(spec.tolerances(gateOff)).isEqualTo(Tolerances.both(0.1));
		assertThat(new HpaController(spec, gateOff).reconcile(NOW, Observation.of(pods)).desiredReplicas())
			.isEqualTo(3);
		// 65% of the target is inside a 50% scale-down tolerance
		assertThat(new HpaController(spec, CONFIG, History.of(List.of())).reconcile(NOW, pods(3, 13)).desiredReplicas())
			.isEqualTo(3);
	}

	// --- bounds, zero replicas, no metrics (item 7) ---

	@Test
	@DisplayName("TestZeroReplicas: scaling is disabled when the target has 0 replicas and minReplicas > 0; TestTooFewReplicas, TestTooManyReplicas")
	void zeroAndOutOfRangeReplicas() {
		var hpa = new HpaController(HpaSpec.pods(3, 5, 1, null), CONFIG);
		Decision disabled = hpa.reconcile(NOW, Observation.of(0, List.of()));
		assertThat(disabled.desiredReplicas()).isZero();
		assertThat(disabled.scalingLimited()).isEqualTo("ScalingDisabled");
		assertThat(hpa.reconcile(NOW, Observation.of(2, List.of())).desiredReplicas()).isEqualTo(3);
		assertThat(hpa.reconcile(NOW, Observation.of(10, List.of())).desiredReplicas()).isEqualTo(5);
	}

	@Test
	@DisplayName("HPAScaleToZero: with minReplicas 0 an External AverageValue metric scales to 0 and back from 0")
	void scaleToZeroWithAnExternalMetric() {
		var spec = new HpaSpec(0, 6, List.of(new HpaMetric.External("qps", 15)), null);
		var hpa = new HpaController(spec, CONFIG, History.of(List.of()));
		assertThat(hpa.reconcile(NOW, Observation.of(pods(5, 0).pods()).withExternal(0)).desiredReplicas()).isZero();
		var fromZero = new HpaController(spec, CONFIG, History.of(List.of()));
		// status.replicas 0: the ratio is infinite, so ceil(20 / 15) = 2
		assertThat(fromZero.reconcile(NOW, Observation.of(0, List.of()).withExternal(20_000)).desiredReplicas())
			.isEqualTo(2);
	}

	@Test
	@DisplayName("TestEmptyMetrics: no metric at all -> no scale and no recommendation recorded")
	void noMetricNoScaleNothingRecorded() {
		var hpa = new HpaController(HpaSpec.pods(2, 6, 1, HpaBehavior.defaults()), CONFIG, History.of(List.of()));
		Decision d = hpa.reconcile(NOW,
				Observation.of(List.of(Pod.running(), Pod.running(), Pod.running(), Pod.running())));
		assertThat(d.desiredReplicas()).isEqualTo(4);
		assertThat(d.proposals().getFirst().error()).contains("did not receive metrics");
		assertThat(hpa.history().recommendations()).isEmpty();
		assertThat(hpa.history().scaleUpEvents()).isEmpty();
	}

}
