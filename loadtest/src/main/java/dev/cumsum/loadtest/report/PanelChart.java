package dev.cumsum.loadtest.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * One report panel as an XChart chart: the time axis in seconds, minutes or hours since
 * each table's first row, whichever gives readable ticks, and every line drawn with its
 * gaps left as gaps (a missing sample or a hole in the time grid ends the line, nothing
 * is interpolated across it).
 */
final class PanelChart {

	private PanelChart() {
	}

	/**
	 * The unit of the time axis: seconds up to 10 minutes, minutes up to 10 hours, then
	 * hours.
	 */
	enum TimeUnit {

		SECONDS(1, "seconds"), MINUTES(60, "minutes"), HOURS(3600, "hours");

		final int seconds;

		final String name;

		TimeUnit(int seconds, String name) {
			this.seconds = seconds;
			this.name = name;
		}

		static TimeUnit forSpan(double spanSeconds) {
			return spanSeconds <= 600 ? SECONDS : spanSeconds <= 10 * 3600 ? MINUTES : HOURS;
		}

	}

	/**
	 * One panel as an XChart chart of the given size; {@code spanSeconds} is the shared
	 * time axis length.
	 */
	static XYChart of(Figure.PanelContent p, double spanSeconds, int width, int height, String chartTitle) {
		TimeUnit unit = TimeUnit.forSpan(spanSeconds);
		XYChart chart = new XYChartBuilder().width(width)
			.height(height)
			.title(chartTitle)
			.xAxisTitle(unit.name + " since start")
			.yAxisTitle(p.yLabel())
			.build();
		XYStyler s = chart.getStyler();
		s.setLegendPosition(Styler.LegendPosition.OutsideS);
		s.setLegendLayout(Styler.LegendLayout.Horizontal);
		s.setChartBackgroundColor(Color.WHITE);
		s.setPlotBackgroundColor(Color.WHITE);
		s.setLegendBorderColor(Color.WHITE);
		s.setPlotGridLinesColor(new Color(225, 225, 225));
		s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
		s.setXAxisMin(0.0);
		s.setXAxisMax(spanSeconds > 0 ? spanSeconds / unit.seconds : 1.0);
		s.setXAxisTickMarkSpacingHint(110);
		s.setYAxisDecimalPattern("#,##0.###");
		s.setYAxisMin(0.0);
		s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
		s.setMarkerSize(5);
		double max = p.lines()
			.stream()
			.flatMap(d -> Arrays.stream(d.table().column(d.line().column())).boxed())
			.filter(v -> !v.isNaN())
			.mapToDouble(Double::doubleValue)
			.max()
			.orElse(0);
		if (max <= 0) {
			chart.getStyler().setYAxisMax(1.0);
		}
		// measured lines first, references (targets, bounds, offered) on top so that they
		// stay visible
		List<Figure.Drawn> ordered = new ArrayList<>(p.lines().stream().filter(d -> !d.line().dashed()).toList());
		ordered.addAll(p.lines().stream().filter(d -> d.line().dashed()).toList());
		int n = 0;
		for (Figure.Drawn d : ordered) {
			addSegments(chart, d, n++, unit);
		}
		return chart;
	}

	/**
	 * Adds one line as one series per stretch of consecutive samples, the first one in
	 * the legend.
	 */
	private static void addSegments(XYChart chart, Figure.Drawn d, int index, TimeUnit unit) {
		Table t = d.table();
		long[] times = t.times();
		double[] values = t.column(d.line().column());
		long step = Figure.step(times);
		List<List<double[]>> segments = new ArrayList<>();
		List<double[]> current = new ArrayList<>();
		for (int i = 0; i < times.length; i++) {
			boolean hole = i > 0 && times[i] - times[i - 1] > step * 3 / 2;
			if (Double.isNaN(values[i]) || hole) {
				if (!current.isEmpty()) {
					segments.add(current);
					current = new ArrayList<>();
				}
			}
			if (!Double.isNaN(values[i])) {
				current.add(new double[] { (times[i] - times[0]) / (double) unit.seconds, values[i] });
			}
		}
		if (!current.isEmpty()) {
			segments.add(current);
		}
		for (int k = 0; k < segments.size(); k++) {
			List<double[]> seg = segments.get(k);
			double[] xs = seg.stream().mapToDouble(p -> p[0]).toArray();
			double[] ys = seg.stream().mapToDouble(p -> p[1]).toArray();
			String name = k == 0 ? d.line().label() : d.line().label() + " #" + index + "." + k;
			XYSeries series = chart.addSeries(name, xs, ys);
			series.setShowInLegend(k == 0);
			series.setLineColor(d.line().color());
			series.setMarkerColor(d.line().color());
			series.setFillColor(d.line().color());
			// a lone sample between two gaps would be invisible as a line: draw it as a
			// dot
			series.setMarker(seg.size() == 1 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
			if (d.line().dashed()) {
				series.setLineStyle(new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
						new float[] { 7f, 5f }, 0f));
			}
			else {
				series.setLineWidth(2.2f);
			}
		}
	}

}
