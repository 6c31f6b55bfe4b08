package dev.cumsum.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * One Prometheus per test JVM over a TSDB backfilled with {@link SyntheticMetrics} and with the
 * recording rules of the chart evaluated over that history ({@code promtool tsdb create-blocks-from
 * rules} against this same Prometheus, then a restart to load the blocks); shared by the test
 * classes that query it and stopped when the JVM exits.
 */
final class BackfilledPrometheus {

    record Fixture(PrometheusServer server, SyntheticMetrics data) {
    }

    private static Fixture fixture;

    private BackfilledPrometheus() {
    }

    static synchronized Fixture get() throws IOException, InterruptedException {
        if (fixture == null) {
            Path workDir = Path.of("target", "prometheus-backfill").toAbsolutePath();
            deleteRecursively(workDir);
            Files.createDirectories(workDir);
            SyntheticMetrics data = new SyntheticMetrics(Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(60));
            data.backfill(workDir, workDir.resolve("data"));
            // no scrape jobs: the TSDB holds only the backfilled blocks
            String config = "global:\n  scrape_interval: 15s\n";
            PrometheusServer raw = PrometheusServer.start(workDir, config);
            Path ruleBlocks = workDir.resolve("rule-blocks");
            try (raw) {
                Tools.run(workDir, Tools.require("promtool").toString(), "tsdb", "create-blocks-from", "rules",
                        "--start=" + data.start().getEpochSecond(), "--end=" + data.end().getEpochSecond(),
                        "--eval-interval=" + SyntheticMetrics.STEP.toSeconds() + "s", "--url=" + raw.base(),
                        "--output-dir=" + ruleBlocks, Tools.repoRoot().resolve(MetricsContract.RULES).toString());
            }
            try (Stream<Path> blocks = Files.list(ruleBlocks)) {
                for (Path block : blocks.toList()) {
                    Files.move(block, workDir.resolve("data").resolve(block.getFileName()));
                }
            }
            PrometheusServer server = PrometheusServer.start(workDir, config);
            Runtime.getRuntime().addShutdownHook(new Thread(server::close));
            fixture = new Fixture(server, data);
        }
        return fixture;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
