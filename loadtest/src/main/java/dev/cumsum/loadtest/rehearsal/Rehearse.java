package dev.cumsum.loadtest.rehearsal;

import dev.cumsum.loadtest.profile.LoadProfile;
import dev.cumsum.loadtest.profile.Params;
import dev.cumsum.loadtest.report.ReportWriter;
import dev.cumsum.loadtest.report.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.LongToDoubleFunction;

/**
 * The HPA rehearsal command: replays a load profile (the Gatling parameters, e.g. {@code profile=step})
 * or a recorded report CSV ({@code replay=path/to/data.csv}) through the HPA model with the chart's
 * values and writes the same report as after a real run. Other parameters: {@code values}
 * (helm/cumsum-autoscale/values.yaml; several files comma-separated are merged as by helm {@code -f}), {@code service} (cumsumApi), {@code podStartup} (30s),
 * {@code podPending} (5s), {@code scrapeInterval} (15s), {@code rateWindow} (1m), {@code syncPeriod} (15s),
 * the kube-controller-manager flags {@code tolerance} (0.1), {@code downscaleStabilization} (5m),
 * {@code cpuInitializationPeriod} (5m), {@code initialReadinessDelay} (30s) and the feature gate
 * {@code configurableTolerance} (true), {@code cpuPerRequest} (millicores per request/s, needed when the chart
 * enables the cpu metric), {@code tail} (extra quiet time after the profile, 0s), {@code out} (target/rehearsal/NAME).
 */
public final class Rehearse {

    private Rehearse() {
    }

    public static void main(String[] args) throws Exception {
        Params p = Params.fromArgs(args);
        List<Path> values = java.util.Arrays.stream(p.get("values", Files.exists(Path.of("helm/cumsum-autoscale/values.yaml"))
                ? "helm/cumsum-autoscale/values.yaml" : "../helm/cumsum-autoscale/values.yaml").split(","))
                .map(String::strip).map(Path::of).toList();
        String service = p.get("service", "cumsumApi");
        HpaSpec spec = ChartValues.read(values, service);
        String mode = ChartValues.mode(values, service);
        ControllerConfig c = ControllerConfig.defaults();
        ControllerConfig config = new ControllerConfig(
                p.getDouble("tolerance", c.tolerance()),
                seconds(p, "downscaleStabilization", c.downscaleStabilizationSeconds()),
                seconds(p, "cpuInitializationPeriod", c.cpuInitializationPeriodSeconds()),
                seconds(p, "initialReadinessDelay", c.initialReadinessDelaySeconds()),
                Boolean.parseBoolean(p.get("configurableTolerance", String.valueOf(c.configurableTolerance()))));
        var d = Rehearsal.Timing.defaults();
        var timing = new Rehearsal.Timing(
                seconds(p, "syncPeriod", d.syncPeriod()),
                seconds(p, "scrapeInterval", d.scrapeInterval()),
                seconds(p, "rateWindow", d.rateWindow()),
                seconds(p, "podStartup", d.podStartup()),
                seconds(p, "podPending", d.podPending()));
        var podModel = new Rehearsal.PodModel(p.getDouble("cpuPerRequest", 0), ChartValues.cpuRequestMilli(values, service));
        int tail = seconds(p, "tail", 0);

        String name;
        LongToDoubleFunction load;
        int seconds;
        String replay = p.get("replay", null);
        if (replay != null) {
            Table recorded = Table.readCsv(Path.of(replay));
            name = "replay of " + replay;
            load = Rehearsal.fromTable(recorded);
            long[] t = recorded.times();
            seconds = (int) (t[t.length - 1] - t[0]) + 1 + tail;
        } else {
            LoadProfile profile = LoadProfile.from(p);
            name = profile.name() + " profile";
            load = profile::rateAt;
            seconds = (int) profile.duration().toSeconds() + tail;
        }
        Rehearsal.Result r = Rehearsal.run(spec, config, podModel, timing, load, seconds, spec.minReplicas(), 0);
        Path out = Path.of(p.get("out", "target/rehearsal/" + name.split(" ")[0]));
        List<String> notes = notes(values, service, mode, spec, config, timing, r.summary());
        ReportWriter.write(r.table(), out, "HPA rehearsal, " + name, notes);
        notes.forEach(System.out::println);
        System.out.println("Report: " + out.toAbsolutePath().resolve("index.html"));
    }

    private static int seconds(Params p, String key, int fallback) {
        return (int) p.getDuration(key, Duration.ofSeconds(fallback)).toSeconds();
    }

    static List<String> notes(List<Path> values, String service, String mode, HpaSpec spec, ControllerConfig config,
                              Rehearsal.Timing timing, Rehearsal.Summary s) {
        Tolerances t = spec.tolerances(config);
        return List.of(
                String.format(Locale.ROOT, "Values %s, %s (%s mode): min %d, max %d, target %.0f/s per pod, metrics %s, tolerance down %.3f / up %.3f",
                        values, service, mode, spec.minReplicas(), spec.maxReplicas(), spec.targetPerPod(), spec.metrics(),
                        t.scaleDown(), t.scaleUp()),
                spec.behavior() == null
                        ? String.format(Locale.ROOT, "No behavior: scale-up at most max(2 x current, 4) per sync, scale-down after the %d s downscale-stabilization window",
                                config.downscaleStabilizationSeconds())
                        : "scaleUp " + spec.behavior().scaleUp() + "; scaleDown " + spec.behavior().scaleDown(),
                String.format(Locale.ROOT, "Model: sync %d s, scrape %d s, rate window %d s, pod pending %d s, pod startup %d s; controller %s",
                        timing.syncPeriod(), timing.scrapeInterval(), timing.rateWindow(), timing.podPending(), timing.podStartup(), config),
                String.format(Locale.ROOT, "Peak replicas %d; peak load per ready pod %.1f/s; %d s above target +%.0f%%; at the end %d replicas, %.1f/s per pod",
                        s.peakReplicas(), s.peakPerPodRps(), s.secondsAboveTarget(), t.scaleUp() * 100,
                        s.finalReplicas(), s.finalPerPodRps()));
    }
}
