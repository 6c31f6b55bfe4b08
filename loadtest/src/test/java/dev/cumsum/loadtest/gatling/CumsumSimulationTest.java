package dev.cumsum.loadtest.gatling;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reduced CI form of a Gatling run: seconds long, against a stub on 127.0.0.1. */
class CumsumSimulationTest {

	static Pattern summaryRow(String label) {
		return Pattern.compile("> " + Pattern.quote(label) + "\\s+\\|\\s+(\\S+) \\|\\s+(\\S+) \\|\\s+(\\S+)");
	}

	@TempDir
	Path results;

	@Test
	void steadyRunAgainstCorrectServerPassesAndPrintsSummary() throws Exception {
		try (CumsumStub stub = new CumsumStub(false)) {
			GatlingRun run = GatlingRun.run(results, Map.of("baseUrl", stub.baseUrl(), "profile", "steady", "rate",
					"20", "duration", "3s", "arrayLength", "50"), 120);
			System.out.println(run.output());

			assertThat(run.exitCode()).as(run.output()).isZero();
			// 20/s for 3 s in an open model: 60 users, each one request
			assertThat(stub.requests()).isBetween(55, 65);
			assertThat(run.output()).contains("profile=steady")
				.contains("response time 50th percentile", "response time 95th percentile",
						"response time 99th percentile", "mean throughput (rps)");
			// summary table: total | OK | KO
			Matcher count = summaryRow("request count").matcher(run.output());
			assertThat(count.find()).isTrue();
			assertThat(Integer.parseInt(count.group(1))).isBetween(55, 65).isEqualTo(Integer.parseInt(count.group(2)));
			assertThat(count.group(3)).isEqualTo("-");
			// progress blocks are printed while the run goes
			assertThat(run.output()).containsPattern("\\d+s elapsed");
		}
	}

	@Test
	void wrongLastElementFailsTheChecksAndTheRun() throws Exception {
		try (CumsumStub stub = new CumsumStub(true)) {
			GatlingRun run = GatlingRun.run(results,
					Map.of("baseUrl", stub.baseUrl(), "profile", "steady", "rate", "10", "duration", "2s"), 120);
			System.out.println(run.output());

			assertThat(stub.requests()).isPositive();
			assertThat(run.output()).contains("jmesPath(data[-1]).find.is(");
			Matcher count = summaryRow("request count").matcher(run.output());
			assertThat(count.find()).isTrue();
			assertThat(count.group(2)).isEqualTo("-");
			assertThat(count.group(3)).isEqualTo(count.group(1));
			assertThat(run.exitCode()).as("assertion on failed requests must fail the run").isNotZero();
		}
	}

}
