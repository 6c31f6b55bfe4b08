package dev.cumsum.loadtest.rehearsal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the HPA settings of one service block ({@code cumsumApi} or {@code transactionApi}) from the
 * chart's {@code values.yaml}: {@code autoscaling.minReplicas}, {@code maxReplicas}, {@code targetPerPod}
 * and {@code behavior} (a literal HorizontalPodAutoscalerBehavior; what it leaves out takes the
 * Kubernetes defaults, as the API server does).
 */
public final class ChartValues {

    private ChartValues() {
    }

    public static HpaSpec read(Path valuesYaml, String service, double tolerance) throws IOException {
        JsonNode root = YAMLMapper.builder().build().readTree(Files.readString(valuesYaml));
        JsonNode a = root.path(service).path("autoscaling");
        if (a.isMissingNode()) {
            throw new IOException(valuesYaml + " has no " + service + ".autoscaling block");
        }
        JsonNode behavior = a.path("behavior");
        return new HpaSpec(
                required(a, "minReplicas", valuesYaml).asInt(),
                required(a, "maxReplicas", valuesYaml).asInt(),
                required(a, "targetPerPod", valuesYaml).asDouble(),
                rules(behavior.path("scaleUp"), ScalingRules.defaultScaleUp()),
                rules(behavior.path("scaleDown"), ScalingRules.defaultScaleDown()),
                tolerance);
    }

    /**
     * {@code defaults} with the scrape interval ({@code metrics.serviceMonitor.interval}) and the rate
     * window ({@code metrics.contract.rateWindow}, the metrics contract) of the chart's values, where
     * the file sets them.
     */
    public static Rehearsal.Timing timing(Path valuesYaml, Rehearsal.Timing defaults) throws IOException {
        JsonNode metrics = YAMLMapper.builder().build().readTree(Files.readString(valuesYaml)).path("metrics");
        JsonNode scrape = metrics.path("serviceMonitor").path("interval");
        JsonNode window = metrics.path("contract").path("rateWindow");
        return new Rehearsal.Timing(defaults.syncPeriod(),
                scrape.isString() ? seconds(scrape.asString()) : defaults.scrapeInterval(),
                window.isString() ? seconds(window.asString()) : defaults.rateWindow(), defaults.podStartup());
    }

    private static int seconds(String duration) {
        return (int) Duration.parse("PT" + duration.toUpperCase(Locale.ROOT)).toSeconds();
    }

    private static JsonNode required(JsonNode a, String key, Path file) throws IOException {
        JsonNode n = a.path(key);
        if (n.isMissingNode() || n.isNull()) {
            throw new IOException(file + ": autoscaling." + key + " is missing");
        }
        return n;
    }

    private static ScalingRules rules(JsonNode node, ScalingRules defaults) {
        if (node.isMissingNode() || node.isNull()) {
            return defaults;
        }
        int window = node.has("stabilizationWindowSeconds")
                ? node.get("stabilizationWindowSeconds").asInt() : defaults.stabilizationWindowSeconds();
        String select = node.has("selectPolicy") ? node.get("selectPolicy").asString() : "Max";
        List<ScalingPolicy> policies = new ArrayList<>();
        for (JsonNode p : node.path("policies")) {
            policies.add(new ScalingPolicy(p.path("type").asString(), p.path("value").asInt(), p.path("periodSeconds").asInt()));
        }
        return new ScalingRules(window, select, policies.isEmpty() ? defaults.policies() : policies);
    }
}
