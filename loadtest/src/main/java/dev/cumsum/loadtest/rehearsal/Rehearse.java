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
 * (helm/cumsum-autoscale/values.yaml), {@code service} (cumsumApi), {@code podStartup} (30s),
 * {@code scrapeInterval} and {@code rateWindow} (the chart's metrics.serviceMonitor.interval and
 * metrics.contract.rateWindow), {@code syncPeriod} (15s), {@code tolerance} (0.1),
 * {@code tail} (extra quiet time after the profile, 0s), {@code out} (target/rehearsal/NAME).
 */
public final class Rehearse {

    private Rehearse() {
    }

    public static void main(String[] args) throws Exception {
        Params p = Params.fromArgs(args);
        Path values = Path.of(p.get("values", Files.exists(Path.of("helm/cumsum-autoscale/values.yaml"))
                ? "helm/cumsum-autoscale/values.yaml" : "../helm/cumsum-autoscale/values.yaml"));
        String service = p.get("service", "cumsumApi");
        HpaSpec spec = ChartValues.read(values, service, p.getDouble("tolerance", HpaSpec.DEFAULT_TOLERANCE));
        var d = ChartValues.timing(values, Rehearsal.Timing.defaults());
        var timing = new Rehearsal.Timing(
                (int) p.getDuration("syncPeriod", Duration.ofSeconds(d.syncPeriod())).toSeconds(),
                (int) p.getDuration("scrapeInterval", Duration.ofSeconds(d.scrapeInterval())).toSeconds(),
                (int) p.getDuration("rateWindow", Duration.ofSeconds(d.rateWindow())).toSeconds(),
                (int) p.getDuration("podStartup", Duration.ofSeconds(d.podStartup())).toSeconds());
        int tail = (int) p.getDuration("tail", Duration.ZERO).toSeconds();

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
        Rehearsal.Result r = Rehearsal.run(spec, timing, load, seconds, spec.minReplicas(), 0);
        Path out = Path.of(p.get("out", "target/rehearsal/" + name.split(" ")[0]));
        List<String> notes = notes(values, service, spec, timing, r.summary());
        ReportWriter.write(r.table(), out, "HPA rehearsal, " + name, notes);
        notes.forEach(System.out::println);
        System.out.println("Report: " + out.toAbsolutePath().resolve("index.html"));
    }

    static List<String> notes(Path values, String service, HpaSpec spec, Rehearsal.Timing timing, Rehearsal.Summary s) {
        return List.of(
                String.format(Locale.ROOT, "Values %s, %s: min %d, max %d, target %.0f/s per pod, tolerance %.2f",
                        values, service, spec.minReplicas(), spec.maxReplicas(), spec.targetPerPod(), spec.tolerance()),
                "scaleUp " + spec.scaleUp() + "; scaleDown " + spec.scaleDown(),
                String.format(Locale.ROOT, "Model: sync %d s, scrape %d s, rate window %d s, pod startup %d s",
                        timing.syncPeriod(), timing.scrapeInterval(), timing.rateWindow(), timing.podStartup()),
                String.format(Locale.ROOT, "Peak replicas %d; peak load per ready pod %.1f/s; %d s above target +%.0f%%; at the end %d replicas, %.1f/s per pod",
                        s.peakReplicas(), s.peakPerPodRps(), s.secondsAboveTarget(), spec.tolerance() * 100,
                        s.finalReplicas(), s.finalPerPodRps()));
    }
}
