package dev.cumsum.loadtest.rehearsal;

import dev.cumsum.loadtest.profile.LoadProfile;
import dev.cumsum.loadtest.profile.Params;
import dev.cumsum.loadtest.report.ReportPage;
import dev.cumsum.loadtest.report.ReportWriter;
import dev.cumsum.loadtest.report.Table;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.LongToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The HPA rehearsal command: replays a load profile (the Gatling parameters, e.g.
 * {@code profile=step}) or a recorded report CSV ({@code replay=path/to/data.csv})
 * through the HPA model with the chart's values and writes the same report as after a
 * real run. Other parameters: {@code values} (helm/cumsum-autoscale/values.yaml; several
 * files comma-separated are merged as by helm {@code -f}), {@code service} (cumsumApi),
 * {@code podStartup} (30s), {@code podPending} (5s), {@code scrapeInterval} and
 * {@code rateWindow} (the chart's metrics.serviceMonitor.interval and
 * metrics.contract.rateWindow), {@code syncPeriod} (15s), the kube-controller-manager
 * flags {@code tolerance} (0.1), {@code downscaleStabilization} (5m),
 * {@code cpuInitializationPeriod} (5m), {@code initialReadinessDelay} (30s) and the
 * feature gate {@code configurableTolerance} (true), {@code cpuPerRequest} (millicores
 * per request/s, needed when the chart enables the cpu metric), {@code tail} (extra quiet
 * time after the profile, 0s), {@code out} (target/rehearsal/NAME).
 */
public final class Rehearse {

	private Rehearse() {
	}

	public static void main(String[] args) throws Exception {
		Params p = Params.fromArgs(args);
		List<Path> values = java.util.Arrays
			.stream(p.get("values",
					Files.exists(Path.of("helm/cumsum-autoscale/values.yaml")) ? "helm/cumsum-autoscale/values.yaml"
							: "../helm/cumsum-autoscale/values.yaml")
				.split(","))
			.map(String::strip)
			.map(Path::of)
			.toList();
		String service = p.get("service", "cumsumApi");
		HpaSpec spec = ChartValues.read(values, service);
		String mode = ChartValues.mode(values, service);
		ControllerConfig c = ControllerConfig.defaults();
		ControllerConfig config = new ControllerConfig(p.getDouble("tolerance", c.tolerance()),
				seconds(p, "downscaleStabilization", c.downscaleStabilizationSeconds()),
				seconds(p, "cpuInitializationPeriod", c.cpuInitializationPeriodSeconds()),
				seconds(p, "initialReadinessDelay", c.initialReadinessDelaySeconds()),
				Boolean.parseBoolean(p.get("configurableTolerance", String.valueOf(c.configurableTolerance()))));
		var d = ChartValues.timing(values, Rehearsal.Timing.defaults());
		var timing = new Rehearsal.Timing(seconds(p, "syncPeriod", d.syncPeriod()),
				seconds(p, "scrapeInterval", d.scrapeInterval()), seconds(p, "rateWindow", d.rateWindow()),
				seconds(p, "podStartup", d.podStartup()), seconds(p, "podPending", d.podPending()));
		var podModel = new Rehearsal.PodModel(p.getDouble("cpuPerRequest", 0),
				ChartValues.cpuRequestMilli(values, service));
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
		}
		else {
			LoadProfile profile = LoadProfile.from(p);
			name = profile.name() + " profile";
			load = profile::rateAt;
			seconds = (int) profile.duration().toSeconds() + tail;
		}
		Rehearsal.Result r = Rehearsal.run(spec, config, podModel, timing, load, seconds, spec.minReplicas(), 0);
		Path out = Path.of(p.get("out", "target/rehearsal/" + name.split(" ")[0]));
		List<String> notes = notes(values, service, mode, spec, config, timing, r.summary());
		List<ReportPage.Setting> settings = settings(values, service, mode, spec, config, timing);
		ReportWriter.write(r.table(), out, new ReportPage("HPA rehearsal, " + name, settings, notes));
		settings.forEach(row -> System.out.println(row.name() + ": " + row.value()));
		notes.forEach(System.out::println);
		System.out.println("Report: " + out.toAbsolutePath().resolve("index.html"));
	}

	private static int seconds(Params p, String key, int fallback) {
		return (int) p.getDuration(key, Duration.ofSeconds(fallback)).toSeconds();
	}

	/**
	 * The rehearsal's inputs as the report's settings table, in the words of the chart
	 * and the controller.
	 */
	static List<ReportPage.Setting> settings(List<Path> values, String service, String mode, HpaSpec spec,
			ControllerConfig config, Rehearsal.Timing timing) {
		Tolerances t = spec.tolerances(config);
		List<ReportPage.Setting> rows = new ArrayList<>();
		rows.add(new ReportPage.Setting("values",
				values.stream().map(Path::toString).collect(Collectors.joining(", "))));
		rows.add(new ReportPage.Setting("service", service + " (" + mode + " mode)"));
		rows.add(new ReportPage.Setting("replicas", spec.minReplicas() + " to " + spec.maxReplicas()));
		rows.add(new ReportPage.Setting("metrics",
				spec.metrics().stream().map(Rehearse::describe).collect(Collectors.joining("; "))));
		rows.add(new ReportPage.Setting("tolerance",
				String.format(Locale.ROOT, "%.3f down, %.3f up", t.scaleDown(), t.scaleUp())));
		if (spec.behavior() == null) {
			rows.add(new ReportPage.Setting("behavior",
					String.format(Locale.ROOT,
							"none: scale up at most to max(2 x current, 4) per sync; scale down after the %d s window",
							config.downscaleStabilizationSeconds())));
		}
		else {
			rows.add(new ReportPage.Setting("scale up", describe(spec.behavior().scaleUp(), config)));
			rows.add(new ReportPage.Setting("scale down", describe(spec.behavior().scaleDown(), config)));
		}
		rows.add(new ReportPage.Setting("metric pipeline",
				String.format(Locale.ROOT, "scrape every %d s, rate over %d s, HPA sync every %d s",
						timing.scrapeInterval(), timing.rateWindow(), timing.syncPeriod())));
		rows.add(new ReportPage.Setting("new pods", String.format(Locale.ROOT, "pending %d s, then ready after %d s",
				timing.podPending(), timing.podStartup())));
		rows.add(new ReportPage.Setting("controller flags", String.format(Locale.ROOT,
				"tolerance %.3f, downscale stabilization %d s, cpu initialization %d s, initial readiness delay %d s, configurable tolerance %s",
				config.tolerance(), config.downscaleStabilizationSeconds(), config.cpuInitializationPeriodSeconds(),
				config.initialReadinessDelaySeconds(), config.configurableTolerance() ? "on" : "off")));
		return List.copyOf(rows);
	}

	static String describe(HpaMetric metric) {
		return switch (metric) {
			case HpaMetric.Pods pods ->
				String.format(Locale.ROOT, "Pods %s, average %s per pod", pods.name(), number(pods.averageValue()));
			case HpaMetric.External external ->
				String.format(Locale.ROOT, "External %s, average %s per pod (total / target)", external.name(),
						number(external.averageValue()));
			case HpaMetric.CpuUtilization cpu -> "CPU at " + cpu.averageUtilization() + "% of the request";
		};
	}

	static String describe(ScalingRules rules, ControllerConfig config) {
		String window = rules.stabilizationWindowSeconds() == null
				? config.downscaleStabilizationSeconds() + " s window (controller flag)"
				: rules.stabilizationWindowSeconds() + " s window";
		String policies = rules.policies()
			.stream()
			.map(p -> ("Pods".equals(p.type()) ? p.value() + (p.value() == 1 ? " pod" : " pods") : p.value() + "%")
					+ " per " + p.periodSeconds() + " s")
			.collect(Collectors.joining(", "));
		String select = switch (rules.selectPolicy()) {
			case "Max" -> "the larger change of ";
			case "Min" -> "the smaller change of ";
			default -> "disabled; policies ";
		};
		String tolerance = rules.tolerance() == null ? ""
				: String.format(Locale.ROOT, ", tolerance %.3f", rules.tolerance());
		return window + "; " + select + policies + tolerance;
	}

	private static String number(double value) {
		return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
	}

	/** What the run showed, in sentences. */
	static List<String> notes(List<Path> values, String service, String mode, HpaSpec spec, ControllerConfig config,
			Rehearsal.Timing timing, Rehearsal.Summary s) {
		Tolerances t = spec.tolerances(config);
		return List.of(String.format(Locale.ROOT,
				"Peak replicas %d; peak load per ready pod %.1f/s; %d s above target +%.0f%%; at the end %d replicas, %.1f/s per pod",
				s.peakReplicas(), s.peakPerPodRps(), s.secondsAboveTarget(), t.scaleUp() * 100, s.finalReplicas(),
				s.finalPerPodRps()));
	}

}
