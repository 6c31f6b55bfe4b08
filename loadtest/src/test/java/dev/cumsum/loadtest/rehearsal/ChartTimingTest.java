package dev.cumsum.loadtest.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rehearsal's scrape interval and rate window come from the chart's values (the
 * metrics contract).
 */
class ChartTimingTest {

	static final Path CHART_VALUES = Path.of("../helm/cumsum-autoscale/values.yaml");

	@Test
	void scrapeIntervalAndRateWindowAreTheChartsWhereSet(@TempDir Path dir) throws Exception {
		Path values = dir.resolve("values.yaml");
		Files.writeString(values,
				Files.readString(CHART_VALUES)
					.replaceFirst("(?m)^(    interval:) .*$", "$1 30s")
					.replaceFirst("(?m)^(    rateWindow:) .*$", "$1 2m"));
		var timing = ChartValues.timing(values, Rehearsal.Timing.defaults());
		assertThat(timing.scrapeInterval()).isEqualTo(30);
		assertThat(timing.rateWindow()).isEqualTo(120);
		assertThat(timing.syncPeriod()).isEqualTo(Rehearsal.Timing.defaults().syncPeriod());
		assertThat(timing.podStartup()).isEqualTo(Rehearsal.Timing.defaults().podStartup());
	}

	@Test
	void aValuesFileWithoutThemKeepsTheModelDefaults() throws Exception {
		assertThat(ChartValues.timing(RehearsalTest.FIXTURE, Rehearsal.Timing.defaults()))
			.isEqualTo(Rehearsal.Timing.defaults());
	}

}
