package dev.cumsum.loadtest.profile;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Named parameters from, in order of precedence, explicit {@code key=value} pairs
 * (command line), Java system properties ({@code -Dkey=value}, what Gatling's Maven
 * plugin forwards) and environment variables ({@code LOADTEST_KEY}, what the in-cluster
 * Job sets). Keys are camelCase; the environment name of {@code stepDuration} is
 * {@code LOADTEST_STEP_DURATION}.
 */
public final class Params {

	private final Map<String, String> explicit;

	private final Map<String, String> env;

	private final boolean systemProperties;

	private Params(Map<String, String> explicit, Map<String, String> env, boolean systemProperties) {
		this.explicit = explicit;
		this.env = env;
		this.systemProperties = systemProperties;
	}

	/** System properties and environment variables. */
	public static Params system() {
		return new Params(Map.of(), System.getenv(), true);
	}

	/** {@code key=value} arguments over system properties and environment variables. */
	public static Params fromArgs(String... args) {
		Map<String, String> map = new HashMap<>();
		for (String arg : args) {
			String a = arg.startsWith("--") ? arg.substring(2) : arg;
			int eq = a.indexOf('=');
			if (eq <= 0) {
				throw new IllegalArgumentException("expected key=value, got: " + arg);
			}
			map.put(a.substring(0, eq), a.substring(eq + 1));
		}
		return new Params(map, System.getenv(), true);
	}

	/** Only the given map (tests). */
	public static Params of(Map<String, String> values) {
		return new Params(Map.copyOf(values), Map.of(), false);
	}

	public String get(String key, String fallback) {
		String v = explicit.get(key);
		if (v == null && systemProperties) {
			v = System.getProperty(key);
		}
		if (v == null) {
			v = env.get(envName(key));
		}
		return v == null || v.isBlank() ? fallback : v.trim();
	}

	public double getDouble(String key, double fallback) {
		String v = get(key, null);
		return v == null ? fallback : Double.parseDouble(v);
	}

	public int getInt(String key, int fallback) {
		String v = get(key, null);
		return v == null ? fallback : Integer.parseInt(v);
	}

	public Duration getDuration(String key, Duration fallback) {
		String v = get(key, null);
		return v == null ? fallback : parseDuration(v);
	}

	static String envName(String key) {
		return "LOADTEST_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
	}

	/**
	 * {@code 90}, {@code 90s}, {@code 5m}, {@code 1h}, {@code 1m30s}; a bare number is
	 * seconds.
	 */
	public static Duration parseDuration(String text) {
		String s = text.trim().toLowerCase(Locale.ROOT);
		if (s.matches("\\d+")) {
			return Duration.ofSeconds(Long.parseLong(s));
		}
		if (!s.matches("(\\d+[hms])+")) {
			throw new IllegalArgumentException("not a duration (use e.g. 90s, 5m, 1h): " + text);
		}
		Duration d = Duration.ZERO;
		var m = java.util.regex.Pattern.compile("(\\d+)([hms])").matcher(s);
		while (m.find()) {
			long n = Long.parseLong(m.group(1));
			d = d.plus(switch (m.group(2)) {
				case "h" -> Duration.ofHours(n);
				case "m" -> Duration.ofMinutes(n);
				default -> Duration.ofSeconds(n);
			});
		}
		return d;
	}

}
