package dev.cumsum.loadtest.report;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Prometheus (Debian's {@code prometheus} package) on a free loopback port, serving series
 * backfilled with {@code promtool tsdb create-blocks-from openmetrics}. Missing binaries skip the test
 * on a developer machine and fail it in CI ({@code CI=true}).
 */
final class BackfilledPrometheus implements AutoCloseable {

    private final Process process;
    private final String url;

    private BackfilledPrometheus(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    static BackfilledPrometheus start(Path work, String openMetrics) throws IOException, InterruptedException {
        boolean present = Files.isExecutable(Path.of("/usr/bin/prometheus")) && Files.isExecutable(Path.of("/usr/bin/promtool"));
        if (!present && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("prometheus/promtool missing: apt-get install -y prometheus");
        }
        assumeTrue(present, "Debian package prometheus (prometheus + promtool) is not installed");

        Path input = work.resolve("series.om");
        Files.writeString(input, openMetrics);
        Path data = work.resolve("tsdb");
        Files.createDirectories(data);
        Process promtool = new ProcessBuilder("promtool", "tsdb", "create-blocks-from", "openmetrics",
                input.toString(), data.toString()).redirectErrorStream(true).start();
        String promtoolOut = new String(promtool.getInputStream().readAllBytes());
        if (!promtool.waitFor(60, TimeUnit.SECONDS) || promtool.exitValue() != 0) {
            throw new IllegalStateException("promtool failed: " + promtoolOut);
        }

        Path config = work.resolve("prometheus.yml");
        Files.writeString(config, "global:\n  scrape_interval: 15s\nscrape_configs: []\n");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = work.resolve("prometheus.log");
        Process p = new ProcessBuilder("prometheus", "--config.file=" + config, "--storage.tsdb.path=" + data,
                "--storage.tsdb.retention.time=30d", "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        BackfilledPrometheus prometheus = new BackfilledPrometheus(p, "http://127.0.0.1:" + port);
        prometheus.awaitReady(log);
        return prometheus;
    }

    private void awaitReady(Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("prometheus exited: " + Files.readString(log));
            }
            try {
                var r = http.send(HttpRequest.newBuilder(URI.create(url + "/-/ready")).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("prometheus not ready in 30 s: " + Files.readString(log));
    }

    String url() {
        return url;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** OpenMetrics text builder: families in order, samples of a series in time order. */
    static final class OpenMetrics {
        private final StringBuilder sb = new StringBuilder();

        OpenMetrics family(String name, String type) {
            sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            return this;
        }

        OpenMetrics sample(String name, String labels, double value, long time) {
            sb.append(name).append('{').append(labels).append("} ").append(value).append(' ').append(time).append('\n');
            return this;
        }

        String build() {
            return sb + "# EOF\n";
        }
    }

    static List<Long> grid(long from, long to, long step) {
        List<Long> l = new java.util.ArrayList<>();
        for (long t = from; t <= to; t += step) {
            l.add(t);
        }
        return l;
    }
}
