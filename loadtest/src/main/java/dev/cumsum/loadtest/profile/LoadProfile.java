package dev.cumsum.loadtest.profile;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * An open-workload load profile: a sequence of stages of offered request rate. The same
 * definition drives Gatling ({@code CumsumSimulation}) and the HPA rehearsal, so what is
 * rehearsed is what is run.
 */
public record LoadProfile(String name, List<Stage> stages) {

	public LoadProfile {
		stages = List.copyOf(stages);
		if (stages.isEmpty()) {
			throw new IllegalArgumentException("a profile needs at least one stage");
		}
	}

	/** Known profile names. */
	public static final List<String> NAMES = List.of("steady", "step", "spike", "soak");

	public Duration duration() {
		return stages.stream().map(Stage::duration).reduce(Duration.ZERO, Duration::plus);
	}

	/** Offered rate (requests/s) at {@code seconds} after the start; 0 after the end. */
	public double rateAt(double seconds) {
		double t = seconds;
		for (Stage s : stages) {
			double len = s.duration().toMillis() / 1000.0;
			if (t < len) {
				return s.rateAt(t);
			}
			t -= len;
		}
		return 0;
	}

	/** Expected number of requests over the whole profile. */
	public double expectedRequests() {
		return stages.stream()
			.mapToDouble(s -> (s.startRate() + s.endRate()) / 2 * s.duration().toMillis() / 1000.0)
			.sum();
	}

	/**
	 * Builds a profile from parameters. Every profile reads its own keys, with defaults
	 * sized for a single laptop-class node running a few pods:
	 * <ul>
	 * <li>{@code steady}: {@code rate} (50) for {@code duration} (2m)</li>
	 * <li>{@code step}: {@code startRate} (25), plus {@code stepRate} (25) for each of
	 * {@code steps} (6) stairs of {@code stepDuration} (2m)</li>
	 * <li>{@code spike}: {@code baseRate} (20) for {@code warmup} (2m), {@code peakRate}
	 * (300) for {@code spikeDuration} (1m), then {@code baseRate} for
	 * {@code quietDuration} (8m)</li>
	 * <li>{@code soak}: {@code rate} (50) for {@code duration} (30m)</li>
	 * </ul>
	 */
	public static LoadProfile from(Params p) {
		String name = p.get("profile", "steady").toLowerCase(Locale.ROOT);
		return switch (name) {
			case "steady" -> new LoadProfile(name,
					List.of(Stage.constant(p.getDouble("rate", 50), p.getDuration("duration", Duration.ofMinutes(2)))));
			case "soak" -> new LoadProfile(name, List
				.of(Stage.constant(p.getDouble("rate", 50), p.getDuration("duration", Duration.ofMinutes(30)))));
			case "step" -> {
				double start = p.getDouble("startRate", 25);
				double step = p.getDouble("stepRate", 25);
				int steps = p.getInt("steps", 6);
				Duration each = p.getDuration("stepDuration", Duration.ofMinutes(2));
				List<Stage> stages = new ArrayList<>();
				for (int i = 0; i < steps; i++) {
					stages.add(Stage.constant(start + i * step, each));
				}
				yield new LoadProfile(name, stages);
			}
			case "spike" -> {
				double base = p.getDouble("baseRate", 20);
				List<Stage> stages = new ArrayList<>();
				Duration warmup = p.getDuration("warmup", Duration.ofMinutes(2));
				if (!warmup.isZero()) {
					stages.add(Stage.constant(base, warmup));
				}
				stages.add(Stage.constant(p.getDouble("peakRate", 300),
						p.getDuration("spikeDuration", Duration.ofMinutes(1))));
				stages.add(Stage.constant(base, p.getDuration("quietDuration", Duration.ofMinutes(8))));
				yield new LoadProfile(name, stages);
			}
			default -> throw new IllegalArgumentException("unknown profile '" + name + "', expected one of " + NAMES);
		};
	}
}
