package dev.cumsum.loadtest.gatling;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs Gatling in its own JVM (its main calls System.exit) with the test classpath, as
 * the Maven plugin would.
 */
record GatlingRun(int exitCode, String output) {

	static GatlingRun run(Path resultsDir, Map<String, String> properties, long timeoutSeconds)
			throws IOException, InterruptedException {
		List<String> cmd = new ArrayList<>();
		cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		cmd.add("-Xmx512m");
		// what the Gatling Maven plugin passes too: Gatling reads String internals and
		// loads netty natives
		cmd.add("--add-opens=java.base/java.lang=ALL-UNNAMED");
		cmd.add("--enable-native-access=ALL-UNNAMED");
		cmd.add("-cp");
		cmd.add(System.getProperty("java.class.path"));
		properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
		cmd.addAll(List.of("io.gatling.app.Gatling", "-s", CumsumSimulation.class.getName(), "-rf",
				resultsDir.toString()));
		Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
		StringBuilder out = new StringBuilder();
		Thread reader = Thread.ofVirtual().start(() -> {
			try {
				out.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
			}
			catch (IOException e) {
				out.append(e);
			}
		});
		if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("Gatling did not finish in " + timeoutSeconds + " s");
		}
		reader.join();
		return new GatlingRun(process.exitValue(), out.toString());
	}
}
