package dev.cumsum.loadtest.report;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium} in headless mode, for checking that a report page renders
 * with its images: {@link #dom} returns the DOM after the load event (the page's script
 * has then set {@code data-images}), {@link #screenshot} writes a PNG. Missing from PATH:
 * the test fails in CI ({@code CI=true}) and is skipped elsewhere, with the package to
 * install.
 */
final class HeadlessChromium {

	private HeadlessChromium() {
	}

	static String binary() {
		String path = System.getenv().getOrDefault("PATH", "");
		String found = Arrays.stream(path.split(File.pathSeparator))
			.map(dir -> Path.of(dir, "chromium"))
			.filter(Files::isExecutable)
			.map(Path::toString)
			.findFirst()
			.orElse(null);
		String missing = "chromium is not on PATH: install Debian's chromium (apt-get install -y chromium) to check the report pages";
		if (found == null && "true".equals(System.getenv("CI"))) {
			throw new IllegalStateException(missing);
		}
		assumeTrue(found != null, missing);
		return found;
	}

	static String dom(Path page) throws IOException, InterruptedException {
		return run(page, "--dump-dom");
	}

	static void screenshot(Path page, Path png, int width, int height) throws IOException, InterruptedException {
		Files.createDirectories(png.toAbsolutePath().getParent());
		run(page, "--screenshot=" + png.toAbsolutePath(), "--window-size=" + width + "," + height, "--hide-scrollbars");
	}

	private static String run(Path page, String... extra) throws IOException, InterruptedException {
		Path profile = Files.createTempDirectory("chromium-profile");
		try {
			List<String> cmd = new ArrayList<>(List.of(binary(), "--headless", "--no-sandbox", "--disable-gpu",
					"--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
					"--disable-sync", "--user-data-dir=" + profile));
			cmd.addAll(List.of(extra));
			cmd.add(page.toAbsolutePath().toUri().toString());
			Path err = profile.resolve("stderr.log");
			Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!p.waitFor(60, TimeUnit.SECONDS)) {
				p.destroyForcibly();
				throw new IllegalStateException("chromium did not finish in 60 s: " + cmd);
			}
			if (p.exitValue() != 0) {
				throw new IllegalStateException("chromium exited " + p.exitValue() + ": " + Files.readString(err));
			}
			return out;
		}
		finally {
			try (var files = Files.walk(profile)) {
				files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
			}
		}
	}

}
