package dev.cumsum.api.cumsum;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import dev.cumsum.api.cumsum.NumberArray.Decimals;
import dev.cumsum.api.cumsum.NumberArray.Longs;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.util.unit.DataSize;

/**
 * The per-request work of {@code POST /api} without HTTP: the kernels (man, np; long fast
 * path vs BigDecimal) and the JSON read and write path. Lives in the service's package to
 * reach its package-private classes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CumSumBenchmark {

	@Param({ "10", "1000" })
	int size;

	private Longs longs;

	private Decimals decimals;

	private byte[] body;

	private CumSumRequestReader reader;

	private Admission admission;

	private NumberArray sums;

	@Setup
	public void setUp() {
		long[] values = IntStream.rangeClosed(1, this.size).asLongStream().toArray();
		this.longs = new Longs(values);
		this.decimals = this.longs.toDecimals();
		for (int i = 0; i < this.size; i += 2) {
			this.decimals.values()[i] = new BigDecimal(i + ".25");
		}
		this.body = ("{\"arr\":["
				+ IntStream.rangeClosed(1, this.size).mapToObj(Integer::toString).collect(Collectors.joining(","))
				+ "],\"mode\":\"man\"}")
			.getBytes(StandardCharsets.UTF_8);
		this.reader = new CumSumRequestReader(new RequestLimits(DataSize.ofMegabytes(1), 100_000, 1000, 8_000_000, 16));
		this.admission = new Admission(
				new AdmissionProperties(0.375, DataSize.ofGigabytes(4), 1_000_000, Duration.ofSeconds(1)),
				new SimpleMeterRegistry());
		this.sums = CumSum.compute(dev.cumsum.api.cumsum.Mode.MAN, this.longs);
	}

	@Benchmark
	public NumberArray manLongs() {
		return CumSum.compute(dev.cumsum.api.cumsum.Mode.MAN, this.longs);
	}

	@Benchmark
	public NumberArray npLongs() {
		return CumSum.compute(dev.cumsum.api.cumsum.Mode.NP, this.longs);
	}

	@Benchmark
	public NumberArray manDecimals() {
		return CumSum.compute(dev.cumsum.api.cumsum.Mode.MAN, this.decimals);
	}

	@Benchmark
	public NumberArray npDecimals() {
		return CumSum.compute(dev.cumsum.api.cumsum.Mode.NP, this.decimals);
	}

	@Benchmark
	public CumSumRequest readJson() {
		try (Admission.Ticket ticket = this.admission.admit(new ApiCall("test"))) {
			return this.reader.read(new ByteArrayInputStream(this.body), this.body.length, ticket);
		}
	}

	@Benchmark
	public byte[] writeJson() {
		return CumSumResponseWriter.write(this.sums, 1234, 1_795_000_000L, "01a2080b-a03c-758c-abea-d1b63a53c589");
	}

}
