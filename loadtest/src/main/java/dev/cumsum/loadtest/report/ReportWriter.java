package dev.cumsum.loadtest.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes a {@link Table} as a report directory: {@code data.csv}, one PNG per chart that has data and
 * {@code index.html} that shows them and says which charts had no data.
 */
public final class ReportWriter {

    public static final int WIDTH = 1000;
    public static final int HEIGHT = 420;

    /** A chart: which columns it draws (dashed ones are references such as targets and bounds). */
    record Chart(String file, String title, String yLabel, Function<Table, List<String>> lines,
                 List<String> dashed, String whenAbsent) {
    }

    static final List<Chart> CHARTS = List.of(
            new Chart("rps.png", "Request rate", "requests/s",
                    t -> present(t, Columns.OFFERED_RPS, Columns.RPS), List.of(Columns.OFFERED_RPS),
                    "no request rate: no cumsum_requests_total samples in this window"),
            new Chart("rps_per_pod.png", "Request rate per pod", "requests/s per pod",
                    t -> {
                        List<String> l = new ArrayList<>(t.columnsStartingWith(Columns.POD_RPS));
                        l.addAll(present(t, Columns.HPA_METRIC, Columns.HPA_TARGET));
                        return l;
                    }, List.of(Columns.HPA_TARGET),
                    "no per-pod request rate in this window"),
            new Chart("replicas.png", "HPA replicas", "replicas",
                    t -> present(t, Columns.HPA_DESIRED, Columns.HPA_CURRENT, Columns.READY_PODS, Columns.HPA_MIN, Columns.HPA_MAX),
                    List.of(Columns.HPA_MIN, Columns.HPA_MAX),
                    "HPA data absent: no kube_horizontalpodautoscaler_* series (kube-state-metrics) in this window"),
            new Chart("latency_p99.png", "p99 latency of POST /api", "milliseconds",
                    t -> present(t, Columns.P99_MS), List.of(),
                    "no latency histogram (http_server_requests_seconds_bucket) in this window"),
            new Chart("error_ratio.png", "Error rate (responses other than success)", "fraction of requests",
                    t -> present(t, Columns.ERROR_RATIO), List.of(),
                    "no error-rate data in this window"));

    private ReportWriter() {
    }

    private static List<String> present(Table t, String... names) {
        return java.util.Arrays.stream(names).filter(t::hasData).toList();
    }

    /** Writes the report; returns the PNG files written. */
    public static List<Path> write(Table table, Path dir, String title, List<String> notes) throws IOException {
        Files.createDirectories(dir);
        table.writeCsv(dir.resolve("data.csv"));
        List<Path> pngs = new ArrayList<>();
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title>\n<style>body{font-family:sans-serif;max-width:1040px;margin:auto}"
                        + "img{border:1px solid #ccc;margin:8px 0}.absent{color:#a33}</style></head><body>\n<h1>")
                .append(escape(title)).append("</h1>\n<ul>\n");
        for (String n : notes) {
            html.append("<li>").append(escape(n)).append("</li>\n");
        }
        html.append("</ul>\n<p>Raw data: <a href=\"data.csv\">data.csv</a></p>\n");
        for (Chart chart : CHARTS) {
            List<String> lines = chart.lines().apply(table);
            html.append("<h2>").append(escape(chart.title())).append("</h2>\n");
            if (lines.isEmpty()) {
                html.append("<p class=\"absent\">").append(escape(chart.whenAbsent())).append("</p>\n");
                continue;
            }
            Path png = dir.resolve(chart.file());
            BitmapEncoder.saveBitmap(render(table, chart, lines, title), png.toString(), BitmapEncoder.BitmapFormat.PNG);
            pngs.add(png);
            html.append("<img src=\"").append(chart.file()).append("\" alt=\"").append(escape(chart.title())).append("\">\n");
        }
        html.append("</body></html>\n");
        Files.writeString(dir.resolve("index.html"), html, StandardCharsets.UTF_8);
        return pngs;
    }

    private static XYChart render(Table table, Chart spec, List<String> lines, String title) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT)
                .title(spec.title() + " - " + title)
                .xAxisTitle("seconds since start").yAxisTitle(spec.yLabel()).build();
        Styler s = chart.getStyler();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotGridLinesColor(new Color(225, 225, 225));
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setMarkerSize(0);
        long t0 = table.times().length == 0 ? 0 : table.times()[0];
        for (String name : lines) {
            double[] values = table.column(name);
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                if (!Double.isNaN(values[i])) {
                    xs.add((double) (table.times()[i] - t0));
                    ys.add(values[i]);
                }
            }
            XYSeries series = chart.addSeries(name, xs, ys);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineWidth(2f);
            if (spec.dashed().contains(name)) {
                series.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
            }
        }
        return chart;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
