package dev.cumsum.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JVM a cumsum-api pod of the chart gets, read from the chart's defaults (one source,
 * as bench/lib/chart-jvm.sh reads them): {@code cumsumApi.javaToolOptions}, and the
 * container memory limit as {@code -XX:MaxRAM} (outside a container the JVM would size
 * its heap from the machine).
 */
final class ChartJvm {

	private static final Path VALUES = Path
		.of(System.getProperty("chart.values", "../helm/cumsum-autoscale/values.yaml"));

	private ChartJvm() {
	}

	/** The container memory limit of cumsum-api, in bytes. */
	static long memoryLimitBytes() {
		Matcher limit = Pattern.compile("limits:\\s*\\{\\s*memory:\\s*(\\d+)Mi").matcher(cumsumApiSection());
		if (!limit.find()) {
			throw new IllegalStateException("no cumsumApi memory limit in " + VALUES);
		}
		return Long.parseLong(limit.group(1)) * 1024 * 1024;
	}

	static List<String> options() {
		Matcher tool = Pattern.compile("javaToolOptions:\\s*\"([^\"]*)\"").matcher(cumsumApiSection());
		if (!tool.find()) {
			throw new IllegalStateException("no cumsumApi.javaToolOptions in " + VALUES);
		}
		List<String> options = new ArrayList<>();
		options.add("-XX:MaxRAM=" + memoryLimitBytes() / (1024 * 1024) + "m");
		options.addAll(Arrays.asList(tool.group(1).trim().split("\\s+")));
		return options;
	}

	/** From {@code cumsumApi:} to the next top-level key. */
	private static String cumsumApiSection() {
		try {
			String values = Files.readString(VALUES);
			int start = values.indexOf("\ncumsumApi:");
			if (start < 0) {
				throw new IllegalStateException("no cumsumApi section in " + VALUES);
			}
			Matcher next = Pattern.compile("\n[A-Za-z]").matcher(values);
			int end = next.find(start + 1) ? next.start() : values.length();
			return values.substring(start, end);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
