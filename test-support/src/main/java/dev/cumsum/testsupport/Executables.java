package dev.cumsum.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * External tools the tests run (prometheus, promtool), and loopback ports for the
 * processes.
 */
public final class Executables {

	private Executables() {
	}

	/**
	 * The executable from PATH. Outside CI a missing tool skips the test with a hint; in
	 * CI ({@code CI=true}) it fails, so a green build always means the Prometheus-backed
	 * tests ran.
	 */
	public static Path require(String executable) {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			Path candidate = Path.of(dir, executable);
			if (Files.isExecutable(candidate)) {
				return candidate;
			}
		}
		String message = executable + " is not installed (Debian: apt-get install -y prometheus)";
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			Assertions.fail(message + "; CI must run the Prometheus-backed tests");
		}
		Assumptions.abort(message + "; skipping");
		throw new AssertionError("unreachable");
	}

	/** A free TCP port on the loopback interface. */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("no free loopback port", ex);
		}
	}

	/**
	 * Runs a command to completion in {@code workDir}, returning its combined output;
	 * fails on a non-zero exit.
	 */
	public static String run(Path workDir, String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes());
		int exit = process.waitFor();
		if (exit != 0) {
			Assertions.fail(String.join(" ", command) + " exited with " + exit + ":\n" + output);
		}
		return output;
	}

}
