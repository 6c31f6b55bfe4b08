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
  @CsvSource({
      "cumsumApi.autoscaling.targetPerPods, 50",     // misspelled key
      "cumsumApi.autoscalling.enabled, true",        // misspelled block
      "metrics.serviceMonitor.label.release, x",     // misspelled nested key
      "replicaCount, 3",                             // unknown top-level key
      "transactionApi.autoscaling.mode, both",       // not hpa or keda
      "cumsumApi.deliveryMode, lazy",                // not a delivery mode
      "cumsumApi.autoscaling.maxReplicas, 0",        // below minimum
      "tracing.samplingProbability, 2",              // above maximum
  })
  void rejects(String key, String value) {
    assertThatThrownBy(() -> Chart.render(null, Map.of(key, value)))
        .hasMessageContaining("schema");
  }

  @Test
  void acceptsAWellFormedOverride() {
    var rendered = Chart.render(null, Map.of("cumsumApi.autoscaling.targetPerPod", "75", "transactionApi.retention", "30d"));
    assertThat(Chart.Tree.string(rendered.get("HorizontalPodAutoscaler", "demo-cumsum-api").body(),
        "spec.metrics")).contains("75");
  }

  @Test
  void scaleToZeroIsRefused() {
    // in keda mode too: no trigger counts requests while no pod runs (AutoscalingPlatformTest)
    assertThatThrownBy(() -> Chart.render(null, Map.of("cumsumApi.autoscaling.minReplicas", "0")))
        .hasMessageContaining("schema").hasMessageContaining("minReplicas");
  }

  @Test
  void externalMongoDbNeedsASecret() {
    assertThatThrownBy(() -> Chart.render(null, Map.of("mongodb.enabled", "false")))
        .hasMessageContaining("mongodb.external.existingSecret");
  }
}
