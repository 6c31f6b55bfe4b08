package dev.cumsum.observability;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import dev.cumsum.testsupport.BackfilledPrometheus;
import dev.cumsum.testsupport.PrometheusServer;

/**
 * One Prometheus per test JVM over a TSDB backfilled with {@link SyntheticMetrics} and
 * with the chart's recording rules evaluated over that history (test-support's
 * {@link BackfilledPrometheus}); shared by the test classes that query it and stopped
 * when the JVM exits.
 */
final class SyntheticPrometheus {

	record Fixture(PrometheusServer server, SyntheticMetrics data) {
	}

	private static Fixture fixture;

	private SyntheticPrometheus() {
	}

	static synchronized Fixture get() throws IOException, InterruptedException {
		if (fixture == null) {
			Path workDir = Path.of("target", "prometheus-backfill").toAbsolutePath();
			Tools.deleteRecursively(workDir);
			SyntheticMetrics data = new SyntheticMetrics(
					Instant.now().truncatedTo(ChronoUnit.MINUTES).minusSeconds(60));
			BackfilledPrometheus prometheus = BackfilledPrometheus.start(workDir, data.openMetrics(),
					new BackfilledPrometheus.RecordingRules(Tools.repoRoot().resolve(MetricsContract.RULES),
							data.start(), data.end(), SyntheticMetrics.STEP));
			Runtime.getRuntime().addShutdownHook(new Thread(prometheus::close));
			fixture = new Fixture(prometheus.server(), data);
		}
		return fixture;
	}

}
