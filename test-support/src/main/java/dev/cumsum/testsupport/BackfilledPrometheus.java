package dev.cumsum.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real Prometheus on a free loopback port over series backfilled with
 * {@code promtool tsdb
 * create-blocks-from openmetrics}, optionally with recording rules evaluated over that
 * history ({@code promtool tsdb create-blocks-from rules} against the same Prometheus,
 * then a restart that loads the new blocks). No scrape jobs: it holds only what was
 * backfilled. Missing binaries skip the test on a developer machine and fail it in CI
 * ({@code CI=true}).
 */
public class BackfilledPrometheus implements AutoCloseable {

	/**
	 * Recording rules to evaluate every {@code evalInterval} from {@code start} to
	 * {@code end}.
	 */
	public record RecordingRules(Path file, Instant start, Instant end, Duration evalInterval) {
	}

	private static final String CONFIG = "global:\n  scrape_interval: 15s\nscrape_configs: []\n";

	private final PrometheusServer server;

	protected BackfilledPrometheus(PrometheusServer server) {
		this.server = server;
	}

	/**
	 * Backfills {@code openMetrics} (OpenMetrics text ending in {@code # EOF}) under
	 * {@code work}.
	 */
	public static BackfilledPrometheus start(Path work, String openMetrics) throws IOException, InterruptedException {
		return new BackfilledPrometheus(backfill(work, openMetrics, null));
	}

	/** As {@link #start(Path, String)}, plus the series of {@code rules}. */
	public static BackfilledPrometheus start(Path work, String openMetrics, RecordingRules rules)
			throws IOException, InterruptedException {
		return new BackfilledPrometheus(backfill(work, openMetrics, rules));
	}

	/**
	 * The running Prometheus over the backfilled TSDB in {@code work/data}; {@code rules}
	 * may be null.
	 */
	protected static PrometheusServer backfill(Path work, String openMetrics, RecordingRules rules)
			throws IOException, InterruptedException {
		String promtool = Executables.require("promtool").toString();
		Executables.require("prometheus");
		Path data = work.resolve("data");
		Files.createDirectories(data);
		Path input = work.resolve("series.om.txt");
		Files.writeString(input, openMetrics);
		Executables.run(work, promtool, "tsdb", "create-blocks-from", "openmetrics", input.toString(), data.toString());
		PrometheusServer server = PrometheusServer.start(work, CONFIG);
		if (rules == null) {
			return server;
		}
		Path ruleBlocks = work.resolve("rule-blocks");
		try (server) {
			Executables.run(work, promtool, "tsdb", "create-blocks-from", "rules",
					"--start=" + rules.start().getEpochSecond(), "--end=" + rules.end().getEpochSecond(),
					"--eval-interval=" + rules.evalInterval().toSeconds() + "s", "--url=" + server.url(),
					"--output-dir=" + ruleBlocks, rules.file().toString());
		}
		try (Stream<Path> blocks = Files.list(ruleBlocks)) {
			for (Path block : blocks.toList()) {
				Files.move(block, data.resolve(block.getFileName()));
			}
		}
		return PrometheusServer.start(work, CONFIG);
	}

	public PrometheusServer server() {
		return this.server;
	}

	/** The base URL, e.g. {@code http://127.0.0.1:40123}. */
	public String url() {
		return this.server.url();
	}

	@Override
	public void close() {
		this.server.close();
	}

	/** {@code from}, {@code from + step}, ... up to {@code to} inclusive. */
	public static List<Long> grid(long from, long to, long step) {
		List<Long> times = new ArrayList<>();
		for (long t = from; t <= to; t += step) {
			times.add(t);
		}
		return times;
	}

	/** OpenMetrics text builder: families in order, samples of a series in time order. */
	public static final class OpenMetrics {

		private final StringBuilder text = new StringBuilder();

		public OpenMetrics family(String name, String type) {
			this.text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
			return this;
		}

		public OpenMetrics sample(String name, String labels, double value, long time) {
			this.text.append(name)
				.append('{')
				.append(labels)
				.append("} ")
				.append(value)
				.append(' ')
				.append(time)
				.append('\n');
			return this;
		}

		public String build() {
			return this.text + "# EOF\n";
		}

	}

}
