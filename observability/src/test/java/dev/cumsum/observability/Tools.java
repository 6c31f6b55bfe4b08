package dev.cumsum.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

import dev.cumsum.testsupport.Executables;
import dev.cumsum.testsupport.PrometheusServer;

/** Locates the repository, and starts the local stack's Prometheus. */
final class Tools {

	private Tools() {
	}

	static Path repoRoot() {
		return Path.of(System.getProperty("cumsum.repoRoot", "..")).toAbsolutePath().normalize();
	}

	/**
	 * Starts Prometheus through scripts/local-prometheus.sh (the local stack's way),
	 * which execs prometheus, so stopping the returned server stops Prometheus.
	 */
	static PrometheusServer startLocalPrometheus(Path workDir, Map<String, String> env)
			throws IOException, InterruptedException {
		Executables.require("prometheus");
		int port = Executables.freePort();
		ProcessBuilder builder = new ProcessBuilder("bash",
				repoRoot().resolve("scripts/local-prometheus.sh").toString());
		builder.environment().putAll(env);
		builder.environment().put("PROMETHEUS_PORT", String.valueOf(port));
		builder.environment().put("LOCAL_PROMETHEUS_DIR", workDir.toString());
		return PrometheusServer.launch(builder, workDir, port);
	}

	static void deleteRecursively(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			paths.sorted(Comparator.reverseOrder()).forEach(p -> {
				try {
					Files.delete(p);
				}
				catch (IOException e) {
					throw new UncheckedIOException(e);
				}
			});
		}
	}

}
