package dev.cumsum.loadtest.report;

import dev.cumsum.testsupport.PrometheusServer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A real Prometheus (Debian's {@code prometheus} package) on a free loopback port,
 * serving series backfilled with {@code promtool tsdb create-blocks-from openmetrics}:
 * test-support's {@link dev.cumsum.testsupport.BackfilledPrometheus} (with its
 * {@code OpenMetrics} builder and {@code grid}) under the name these tests use. Missing
 * binaries skip the test on a developer machine and fail it in CI ({@code CI=true}).
 */
final class BackfilledPrometheus extends dev.cumsum.testsupport.BackfilledPrometheus {

	private BackfilledPrometheus(PrometheusServer server) {
		super(server);
	}

	public static BackfilledPrometheus start(Path work, String openMetrics) throws IOException, InterruptedException {
		return new BackfilledPrometheus(backfill(work, openMetrics, null));
	}

}
