package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json, as helm itself applies it while rendering. */
class ValuesSchemaTest {

	@ParameterizedTest(name = "{0}={1}")
	@CsvSource({ "cumsumApi.autoscaling.targetPerPods, 50", // misspelled key
			"cumsumApi.autoscalling.enabled, true", // misspelled block
			"metrics.serviceMonitor.label.release, x", // misspelled nested key
			"replicaCount, 3", // unknown top-level key
			"transactionApi.autoscaling.mode, both", // not hpa or keda
			"cumsumApi.deliveryMode, lazy", // not a delivery mode
			"cumsumApi.autoscaling.maxReplicas, 0", // below minimum
			"tracing.samplingProbability, 2", // above maximum
			"cumsumApi.autoscaling.behavior.scaleUp.tolerance, -0.1", // negative
																		// tolerance
			"cumsumApi.autoscaling.behavior.scaleDown.tolerance, 10%", // not a quantity
			"cumsumApi.autoscaling.behavior.scaleDown.tolerence, 0.1", // misspelled rule
																		// key
			"transactionApi.autoscaling.behavior.scaleUp.selectPolicy, Maximum", // not
																					// Max,
																					// Min
																					// or
																					// Disabled
	})
	void rejects(String key, String value) {
		assertThatThrownBy(() -> Chart.render(null, Map.of(key, value))).hasMessageContaining("schema");
	}

	@Test
	void acceptsAWellFormedOverride() {
		var rendered = Chart.render(null,
				Map.of("cumsumApi.autoscaling.targetPerPod", "75", "transactionApi.retention", "30d"));
		assertThat(Chart.Tree.string(rendered.get("HorizontalPodAutoscaler", "demo-cumsum-api").body(), "spec.metrics"))
			.contains("75");
	}

	@Test
	void perDirectionToleranceIsRenderedOnlyWhenSet() {
		var hpa = Chart.renderDefaults().get("HorizontalPodAutoscaler", "demo-cumsum-api").body();
		assertThat(Chart.Tree.map(hpa, "spec.behavior.scaleUp")).doesNotContainKey("tolerance");
		assertThat(Chart.Tree.map(hpa, "spec.behavior.scaleDown")).doesNotContainKey("tolerance");
		var tuned = Chart
			.render(null,
					Map.of("cumsumApi.autoscaling.behavior.scaleUp.tolerance", "0.05",
							"cumsumApi.autoscaling.behavior.scaleDown.tolerance", "200m"))
			.get("HorizontalPodAutoscaler", "demo-cumsum-api")
			.body();
		assertThat(Chart.Tree.string(tuned, "spec.behavior.scaleUp.tolerance")).isEqualTo("0.05");
		assertThat(Chart.Tree.string(tuned, "spec.behavior.scaleDown.tolerance")).isEqualTo("200m");
		assertThat(Chart.Tree.string(tuned, "spec.behavior.scaleDown.stabilizationWindowSeconds")).isEqualTo("300");
	}

	@Test
	void kedaPassesTheToleranceToItsHpa() {
		var keda = Chart
			.render(Chart.DIR.resolve("ci/keda-values.yaml"),
					Map.of("cumsumApi.autoscaling.behavior.scaleUp.tolerance", "0.05"))
			.get("ScaledObject", "demo-cumsum-api")
			.body();
		assertThat(Chart.Tree.string(keda, "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleUp.tolerance"))
			.isEqualTo("0.05");
	}

	@Test
	void scaleToZeroIsRefused() {
		// in keda mode too: no trigger counts requests while no pod runs
		// (AutoscalingPlatformTest)
		assertThatThrownBy(() -> Chart.render(null, Map.of("cumsumApi.autoscaling.minReplicas", "0")))
			.hasMessageContaining("schema")
			.hasMessageContaining("minReplicas");
	}

	@Test
	void externalMongoDbNeedsASecret() {
		assertThatThrownBy(() -> Chart.render(null, Map.of("mongodb.enabled", "false")))
			.hasMessageContaining("mongodb.external.existingSecret");
	}

}
