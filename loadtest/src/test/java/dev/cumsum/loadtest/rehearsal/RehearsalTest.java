package dev.cumsum.loadtest.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumsum.loadtest.profile.LoadProfile;
import dev.cumsum.loadtest.profile.Params;
import dev.cumsum.loadtest.report.Columns;
import dev.cumsum.loadtest.report.ReportWriter;
import dev.cumsum.loadtest.report.Table;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RehearsalTest {

	static final Path FIXTURE = Path.of("src/test/resources/values-fixture.yaml");
	static final Path CHART_VALUES = Path.of("../helm/cumsum-autoscale/values.yaml");

	@TempDir
	Path tmp;

	static int at(Table t, String column, int second) {
		return (int) t.column(column)[second];
	}

	@Test
	void readsTheServiceBlockAndFillsKubernetesDefaults() throws Exception {
		HpaSpec api = ChartValues.read(FIXTURE, "cumsumApi");
		assertThat(api.minReplicas()).isEqualTo(2);
		assertThat(api.maxReplicas()).isEqualTo(8);
		assertThat(api.metrics()).containsExactly(new HpaMetric.Pods("requests_per_second", 50));
		assertThat(api.behavior().scaleDown().stabilizationWindowSeconds()).isEqualTo(120);
		assertThat(api.behavior().scaleDown().policies()).containsExactly(ScalingPolicy.pods(1, 30));
		HpaSpec tx = ChartValues.read(FIXTURE, "transactionApi");
		assertThat(tx.targetPerPod()).isEqualTo(200);
		assertThat(tx.behavior()).as("no behavior block: the controller's no-behavior path").isNull();
	}

	@Test
	void chartValuesParseWithTheAgreedShape() throws Exception {
		org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(CHART_VALUES), "chart not present");
		for (String service : new String[] { "cumsumApi", "transactionApi" }) {
			HpaSpec spec = ChartValues.read(CHART_VALUES, service);
			assertThat(spec.maxReplicas()).isGreaterThanOrEqualTo(spec.minReplicas());
			assertThat(spec.targetPerPod()).isPositive();
		}
	}

	@Test
	void steadyLoadConvergesToLoadOverTargetAndStaysThere() throws Exception {
		HpaSpec spec = ChartValues.read(FIXTURE, "cumsumApi");
		var r = Rehearsal.run(spec, Rehearsal.Timing.defaults(), t -> 300, 600, spec.minReplicas(), 0);
		// 300/s at 50/s per pod: 6 pods; 2 -> 4 at the first sync that sees the load,
		// then 6
		assertThat(at(r.table(), Columns.HPA_CURRENT, 0)).isEqualTo(6);
		assertThat(at(r.table(), Columns.READY_PODS, 29)).as("new pods start in 30 s").isEqualTo(2);
		assertThat(at(r.table(), Columns.READY_PODS, 30)).isEqualTo(6);
		// at 45 s the old pods' 60 s rate still holds 45 s at 150/s: (2 x 125 + 4 x 50) /
		// 6 = 75 -> 9, max 8.
		// The overshoot is what the rate window does in a real cluster too.
		assertThat(at(r.table(), Columns.HPA_CURRENT, 44)).isEqualTo(6);
		assertThat(at(r.table(), Columns.HPA_CURRENT, 45)).isEqualTo(8);
		assertThat(r.summary().peakReplicas()).isEqualTo(8);
		// then back to 6 once the 120 s window has passed (1 pod per 30 s)
		assertThat(r.summary().finalReplicas()).isEqualTo(6);
		assertThat(r.summary().finalPerPodRps()).isEqualTo(50.0);
	}

	@Test
	void scaleUpFollowsPoliciesAndMetricLagAndScaleDownWaitsForTheWindow() throws Exception {
		HpaSpec spec = ChartValues.read(FIXTURE, "cumsumApi");
		// 100/s for 5 min, 400/s for 5 min, 100/s for 10 min
		LoadProfile profile = LoadProfile.from(Params.of(Map.of("profile", "spike", "baseRate", "100", "warmup", "5m",
				"peakRate", "400", "spikeDuration", "5m", "quietDuration", "10m")));
		var r = Rehearsal.run(spec, Rehearsal.Timing.defaults(), profile::rateAt, 1200, spec.minReplicas(), 0);
		Table t = r.table();
		assertThat(at(t, Columns.HPA_CURRENT, 299)).isEqualTo(2);
		// the burst at 300 s is first in the scrape at 315 s: per pod (45 s x 50 + 15 s x
		// 200) / 60 = 87.5/s
		// -> ratio 1.75 -> ceil(3.5) = 4
		assertThat(at(t, Columns.HPA_CURRENT, 314)).isEqualTo(2);
		assertThat(at(t, Columns.HPA_CURRENT, 315)).isEqualTo(4);
		assertThat(at(t, Columns.HPA_CURRENT, 599)).as("400/s needs 8 = max").isEqualTo(8);
		assertThat(r.summary().peakReplicas()).isEqualTo(8);
		// load drops at 600 s; the window holds the highest recommendation of the last
		// 120 s
		int firstDown = -1;
		for (int s = 600; s < 1200; s++) {
			if (at(t, Columns.HPA_CURRENT, s) < 8) {
				firstDown = s;
				break;
			}
		}
		assertThat(firstDown).isBetween(600 + 120, 600 + 120 + 60 + 15);
		// then one pod per 30 s (Pods 1 / 30 s) down to 2
		assertThat(at(t, Columns.HPA_CURRENT, firstDown + 30)).isEqualTo(6);
		assertThat(r.summary().finalReplicas()).isEqualTo(2);
	}

	@Test
	void replayOfARecordedCsvMatchesTheProfileItCameFrom() throws Exception {
		HpaSpec spec = ChartValues.read(FIXTURE, "cumsumApi");
		LoadProfile step = LoadProfile.from(Params
			.of(Map.of("profile", "step", "startRate", "50", "stepRate", "100", "steps", "3", "stepDuration", "3m")));
		var fromProfile = Rehearsal.run(spec, Rehearsal.Timing.defaults(), step::rateAt, 540, 2, 1_700_000_000L);
		Path csv = tmp.resolve("data.csv");
		fromProfile.table().writeCsv(csv);
		var replayed = Rehearsal.run(spec, Rehearsal.Timing.defaults(), Rehearsal.fromTable(Table.readCsv(csv)), 540, 2,
				1_700_000_000L);
		assertThat(replayed.table().column(Columns.HPA_CURRENT))
			.containsExactly(fromProfile.table().column(Columns.HPA_CURRENT));
		assertThat(replayed.summary()).isEqualTo(fromProfile.summary());
	}

	@Test
	void theRehearsalPageShowsItsSettingsAsATableInWordsNotJavaObjects() throws Exception {
		Path out = tmp.resolve("page");
		Rehearse.main(new String[] { "values=" + FIXTURE, "profile=step", "startRate=50", "stepRate=50", "steps=2",
				"stepDuration=2m", "out=" + out });
		String html = Files.readString(out.resolve("index.html"));
		assertThat(html).contains("<table")
			.contains("scale up")
			.contains("scale down")
			.contains("metric pipeline")
			.contains("Pods requests_per_second, average 50 per pod");
		// no record toString() such as ScalingRules[stabilizationWindowSeconds=0, ...]
		assertThat(html).doesNotContainPattern("[A-Z][A-Za-z]+\\[[a-zA-Z]+=");
	}

	@Test
	void rehearsalIsDrawnWithTheReport() throws Exception {
		HpaSpec spec = ChartValues.read(FIXTURE, "cumsumApi");
		var r = Rehearsal.run(spec, Rehearsal.Timing.defaults(), t -> t < 120 ? 50 : 250, 400, 2, 0);
		var pngs = ReportWriter.write(r.table(), tmp.resolve("rehearsal"), "rehearsal", java.util.List.of("test"));
		assertThat(pngs).extracting(p -> p.getFileName().toString())
			.containsExactly("rps.png", "rps_per_pod.png", "replicas.png");
		BufferedImage image = ImageIO.read(tmp.resolve("rehearsal/replicas.png").toFile());
		assertThat(image.getWidth()).isEqualTo(ReportWriter.WIDTH);
		assertThat(image.getHeight()).isEqualTo(ReportWriter.HEIGHT);
	}

	@Test
	void readsPerDirectionTolerancesTheCpuMetricAndAnEmptyBehavior() throws Exception {
		HpaSpec tuned = ChartValues.read(FIXTURE, "tunedApi");
		assertThat(tuned.metrics()).containsExactly(new HpaMetric.Pods("requests_per_second", 50),
				new HpaMetric.CpuUtilization(80));
		assertThat(tuned.tolerances(ControllerConfig.defaults())).isEqualTo(new Tolerances(0.2, 0.02));
		assertThat(tuned.tolerances(new ControllerConfig(0.1, 300, 300, 30, false)))
			.as("without HPAConfigurableTolerance the API server drops the fields")
			.isEqualTo(Tolerances.both(0.1));
		// a behavior without directions gets both defaults; the scale-down window stays
		// the controller's
		assertThat(tuned.behavior().scaleUp().policies()).isEqualTo(ScalingRules.defaultScaleUp().policies());
		assertThat(tuned.behavior().scaleDown().stabilizationWindowSeconds()).isNull();
		assertThat(ChartValues.cpuRequestMilli(List.of(FIXTURE), "tunedApi")).isEqualTo(250);
		assertThat(ChartValues.cpuRequestMilli(List.of(FIXTURE), "cumsumApi")).isZero();
	}

	@Test
	void kedaModeIsAnExternalMetricWithAtLeastOneReplica() throws Exception {
		HpaSpec keda = ChartValues.read(FIXTURE, "kedaApi");
		assertThat(ChartValues.mode(List.of(FIXTURE), "kedaApi")).isEqualTo("keda");
		assertThat(keda.metrics()).containsExactly(new HpaMetric.External("prometheus trigger", 50));
		assertThat(keda.minReplicas()).as("KEDA's getHPAMinReplicas").isEqualTo(1);
		// 300/s from one pod: KEDA's total / target = 6, limited by the policies to max(2
		// x 1, 1 + 4) = 5; then 6
		var r = Rehearsal.run(keda, Rehearsal.Timing.defaults(), t -> 300, 60, keda.minReplicas(), 0);
		assertThat(at(r.table(), Columns.HPA_CURRENT, 0)).isEqualTo(5);
		assertThat(at(r.table(), Columns.HPA_CURRENT, 15)).isEqualTo(6);
		assertThat(r.table().column(Columns.HPA_METRIC)[0]).as("total / pods").isEqualTo(300.0);
	}

	@Test
	void theInitialRecommendationHoldsScaleDownAfterCreation() throws Exception {
		HpaSpec spec = ChartValues.read(FIXTURE, "cumsumApi");
		var r = Rehearsal.run(spec, Rehearsal.Timing.defaults(), t -> 0, 400, 4, 0);
		assertThat(at(r.table(), Columns.HPA_CURRENT, 119)).as("4 recorded at creation, 120 s window").isEqualTo(4);
		assertThat(at(r.table(), Columns.HPA_CURRENT, 120)).as("then Pods 1 per 30 s").isEqualTo(3);
		assertThat(at(r.table(), Columns.HPA_CURRENT, 150)).isEqualTo(2);
	}

	@Test
	void withoutBehaviorTheControllerLimitsScaleUpAndWaitsFiveMinutes() throws Exception {
		HpaSpec spec = ChartValues.read(FIXTURE, "transactionApi");
		// 1000/s against 200/s per pod: 5 wanted; one sync may go from 1 to max(2, 4) = 4
		var r = Rehearsal.run(spec, Rehearsal.Timing.defaults(), t -> t < 120 ? 1000 : 0, 600, 1, 0);
		assertThat(at(r.table(), Columns.HPA_CURRENT, 0)).isEqualTo(4);
		assertThat(at(r.table(), Columns.HPA_CURRENT, 15)).isEqualTo(5);
		int firstDown = -1;
		for (int s = 120; s < 600; s++) {
			if (at(r.table(), Columns.HPA_CURRENT, s) < 5) {
				firstDown = s;
				break;
			}
		}
		assertThat(firstDown).as("the 5-minute downscale stabilization").isBetween(120 + 300, 120 + 300 + 75);
		assertThat(r.summary().finalReplicas()).as("no rate limit on the way down").isEqualTo(1);
	}

	@Test
	void aCpuMetricNeedsTheCpuCostOfARequestAndCanDriveScaling() throws Exception {
		HpaSpec tuned = ChartValues.read(FIXTURE, "tunedApi");
		long request = ChartValues.cpuRequestMilli(List.of(FIXTURE), "tunedApi");
		org.assertj.core.api.Assertions
			.assertThatThrownBy(() -> Rehearsal.run(tuned, Rehearsal.Timing.defaults(), t -> 100, 60, 1, 0))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("cpuPerRequest");
		// 100/s at 5 millicores each is 500m of a 250m request: 200% against 80% wants
		// more pods than 100/s at 50/s per pod
		var cheap = Rehearsal.run(tuned, ControllerConfig.defaults(), new Rehearsal.PodModel(0.5, request),
				Rehearsal.Timing.defaults(), t -> 100, 600, 1, 0);
		var costly = Rehearsal.run(tuned, ControllerConfig.defaults(), new Rehearsal.PodModel(5, request),
				Rehearsal.Timing.defaults(), t -> 100, 600, 1, 0);
		assertThat(cheap.summary().finalReplicas()).as("requests/s: 100 / 50").isEqualTo(2);
		assertThat(costly.summary().finalReplicas()).as("CPU: 500m per 100/s, 200m per pod at 80%").isEqualTo(3);
	}

	@Test
	void theChartsKedaOverridesMergedOnItsValuesAreRehearsedAsKedasHpa() throws Exception {
		Path keda = Path.of("../helm/cumsum-autoscale/ci/keda-values.yaml");
		org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(CHART_VALUES) && Files.exists(keda),
				"chart not present");
		HpaSpec api = ChartValues.read(List.of(CHART_VALUES, keda), "cumsumApi");
		assertThat(api.metrics()).singleElement().isInstanceOf(HpaMetric.External.class);
		assertThat(api.minReplicas()).as("minReplicas 1 in ci/keda-values.yaml; KEDA's HPA never goes below 1")
			.isEqualTo(1);
		HpaSpec tx = ChartValues.read(List.of(CHART_VALUES, keda), "transactionApi");
		assertThat(tx.metrics()).hasSize(2).last().isEqualTo(new HpaMetric.CpuUtilization(80));
		assertThat(ChartValues.cpuRequestMilli(List.of(CHART_VALUES, keda), "transactionApi")).isPositive();
	}

	@Test
	void anOverrideFileCanRemoveTheBehaviorLikeHelm() throws Exception {
		Path override = tmp.resolve("no-behavior.yaml");
		Files.writeString(override, "cumsumApi:\n  autoscaling:\n    behavior: null\n    maxReplicas: 20\n");
		HpaSpec spec = ChartValues.read(List.of(FIXTURE, override), "cumsumApi");
		assertThat(spec.behavior()).isNull();
		assertThat(spec.maxReplicas()).isEqualTo(20);
		assertThat(spec.minReplicas()).as("kept from the first file").isEqualTo(2);
	}

}
