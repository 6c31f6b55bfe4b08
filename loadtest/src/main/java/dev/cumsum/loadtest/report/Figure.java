package dev.cumsum.loadtest.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;

/**
 * Lays out report tables as one image: a title, then stacked panels on one time axis,
 * their plot areas aligned so that one instant is at the same x in every panel, and
 * panels without data saying why. Each panel's chart is a {@link PanelChart}.
 */
final class Figure {

	static final int WIDTH = 1200;
	static final int PANEL_HEIGHT = 260;
	static final int EMPTY_PANEL_HEIGHT = 90;
	static final int HEADER_HEIGHT = 56;

	private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	/** A line of one table; tables are aligned on their own first row. */
	record Drawn(Table table, Line line) {
	}

	/** One panel to draw: its lines, or the reason it has none. */
	record PanelContent(String title, String yLabel, List<Drawn> lines, String whenEmpty) {
	}

	private Figure() {
	}

	/** The report figure of one table: every {@link Panel}, empty ones saying why. */
	static BufferedImage of(Table table, String title) {
		List<PanelContent> panels = new ArrayList<>();
		for (Panel p : Panel.values()) {
			panels.add(content(table, p));
		}
		return stack(title, subtitle(table), panels);
	}

	static PanelContent content(Table table, Panel p) {
		List<Drawn> lines = p.lines(table).stream().map(l -> new Drawn(table, l)).toList();
		return new PanelContent(p.title(), p.yLabel(), lines, String.join("; ", p.missing(table)));
	}

	static String subtitle(Table table) {
		long[] t = table.times();
		if (t.length == 0) {
			return "no data";
		}
		// a rehearsal runs on model time from 0, a live report on epoch seconds
		String start = t[0] < 946_684_800L ? "the start of the rehearsal" : UTC.format(Instant.ofEpochSecond(t[0]));
		return "time axis: " + PanelChart.TimeUnit.forSpan(seconds(table)).name + " since " + start + "; " + t.length
				+ " samples, " + (t.length > 1 ? step(t) + " s apart" : "one sample")
				+ "; gaps in the data are left blank";
	}

	/**
	 * Panels stacked on one time axis under a title. Each panel is drawn twice: once to
	 * learn where its plot area starts (it depends on its y tick labels), then narrower
	 * and shifted so that every plot area spans the same pixels and one instant is at the
	 * same x in every panel.
	 */
	static BufferedImage stack(String title, String subtitle, List<PanelContent> panels) {
		double span = panels.stream()
			.flatMap(p -> p.lines().stream())
			.mapToDouble(d -> seconds(d.table()))
			.max()
			.orElse(0);
		int[] left = new int[panels.size()];
		BufferedImage scratch = new BufferedImage(WIDTH, PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
		for (int i = 0; i < panels.size(); i++) {
			PanelContent p = panels.get(i);
			if (!p.lines().isEmpty()) {
				XYChart c = PanelChart.of(p, span, WIDTH, PANEL_HEIGHT, p.title());
				Graphics2D g = scratch.createGraphics();
				c.paint(g, WIDTH, PANEL_HEIGHT);
				g.dispose();
				left[i] = (int) Math.round(c.getScreenXFromChart(0));
			}
		}
		int aligned = Arrays.stream(left).max().orElse(0);
		int height = HEADER_HEIGHT + panels.stream().mapToInt(Figure::height).sum();
		BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D g = image.createGraphics();
		try {
			g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
			g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
			g.setColor(Color.WHITE);
			g.fillRect(0, 0, image.getWidth(), image.getHeight());
			g.setColor(Color.BLACK);
			g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
			g.drawString(title, 12, 24);
			g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
			g.setColor(new Color(80, 80, 80));
			g.drawString(subtitle, 12, 44);
			int y = HEADER_HEIGHT;
			for (int i = 0; i < panels.size(); i++) {
				PanelContent p = panels.get(i);
				int shift = p.lines().isEmpty() ? 0 : aligned - left[i];
				Graphics2D panel = (Graphics2D) g.create(shift, y, WIDTH - shift, height(p));
				try {
					if (p.lines().isEmpty()) {
						empty(panel, p, WIDTH, height(p));
					}
					else {
						PanelChart.of(p, span, WIDTH - shift, PANEL_HEIGHT, p.title())
							.paint(panel, WIDTH - shift, PANEL_HEIGHT);
					}
				}
				finally {
					panel.dispose();
				}
				y += height(p);
			}
		}
		finally {
			g.dispose();
		}
		return image;
	}

	private static int height(PanelContent p) {
		return p.lines().isEmpty() ? EMPTY_PANEL_HEIGHT : PANEL_HEIGHT;
	}

	private static void empty(Graphics2D g, PanelContent p, int width, int height) {
		g.setColor(Color.WHITE);
		g.fillRect(0, 0, width, height);
		g.setColor(new Color(200, 200, 200));
		g.drawRect(8, 8, width - 16, height - 16);
		g.setColor(Color.BLACK);
		g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
		FontMetrics title = g.getFontMetrics();
		g.drawString(p.title(), (width - title.stringWidth(p.title())) / 2, 28);
		g.setColor(new Color(170, 51, 51));
		g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
		int y = 52;
		for (String line : wrap("No data. " + p.whenEmpty(), g.getFontMetrics(), width - 80)) {
			g.drawString(line, 40, y);
			y += 20;
		}
	}

	private static List<String> wrap(String text, FontMetrics fm, int width) {
		List<String> lines = new ArrayList<>();
		StringBuilder line = new StringBuilder();
		for (String word : text.split(" ")) {
			if (!line.isEmpty() && fm.stringWidth(line + " " + word) > width) {
				lines.add(line.toString());
				line.setLength(0);
			}
			line.append(line.isEmpty() ? "" : " ").append(word);
		}
		if (!line.isEmpty()) {
			lines.add(line.toString());
		}
		return lines;
	}

	/**
	 * The usual distance between rows (seconds): the smallest positive one, so that holes
	 * stand out.
	 */
	static long step(long[] times) {
		long step = Long.MAX_VALUE;
		for (int i = 1; i < times.length; i++) {
			long d = times[i] - times[i - 1];
			if (d > 0) {
				step = Math.min(step, d);
			}
		}
		return step == Long.MAX_VALUE ? 1 : step;
	}

	static double seconds(Table t) {
		long[] times = t.times();
		return times.length < 2 ? 0 : times[times.length - 1] - times[0];
	}

	/** A time as minutes:seconds (hours:minutes:seconds from one hour on). */
	static String clock(long seconds) {
		long s = seconds;
		if (s >= 3600) {
			return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
		}
		return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
	}

}
