package dev.cumsum.observability;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;

/** Locates the repository and the Prometheus binaries the tests run. */
final class Tools {

    private Tools() {
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("cumsum.repoRoot", "..")).toAbsolutePath().normalize();
    }

    /**
     * The executable from PATH. Outside CI a missing tool skips the test with a hint; in CI
     * ({@code CI=true}) it fails, so a green build always means the Prometheus-backed tests ran.
     */
    static Path require(String executable) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, executable);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        String message = executable + " is not installed (Debian: apt-get install -y prometheus)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + "; CI must run the Prometheus-backed tests");
        }
        Assumptions.abort(message + "; skipping");
        throw new AssertionError("unreachable");
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free loopback port", e);
        }
    }

    /** Runs a command to completion, returning its combined output; fails on a non-zero exit. */
    static String run(Path workDir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        int exit = process.waitFor();
        if (exit != 0) {
            fail(String.join(" ", command) + " exited with " + exit + ":\n" + output);
        }
        return output;
    }
}
