package dev.cumsum.loadtest.report;

import java.util.List;

/**
 * The report pages' HTML: static, self-contained, readable without the network. A small
 * script marks the root element with {@code data-images="loaded N"} once every image has
 * loaded (or {@code broken: ...}), which the headless-browser test reads.
 */
final class Html {

	private static final String STYLE = "body{font-family:sans-serif;max-width:1240px;margin:auto;padding:0 12px;color:#222}"
			+ "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #ccc;padding:4px 10px;text-align:left;vertical-align:top}"
			+ "th{background:#f3f3f3}td.num{font-weight:bold;white-space:nowrap}.absent{color:#a33}"
			+ "img{border:1px solid #ccc;margin:8px 0;max-width:100%}.side{display:flex;gap:12px}.side>div{flex:1}";

	private static final String MARKER = "<script>window.addEventListener('load',function(){"
			+ "var im=Array.prototype.slice.call(document.images);"
			+ "var bad=im.filter(function(i){return !(i.complete&&i.naturalWidth>0);}).map(function(i){return i.getAttribute('src');});"
			+ "document.documentElement.setAttribute('data-images',bad.length?'broken: '+bad.join(' '):'loaded '+im.length);});</script>\n";

	private final StringBuilder sb = new StringBuilder();

	Html(String title) {
		sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
			.append(escape(title))
			.append("</title>\n<style>")
			.append(STYLE)
			.append("</style></head><body>\n<h1>")
			.append(escape(title))
			.append("</h1>\n");
	}

	Html h2(String text) {
		sb.append("<h2>").append(escape(text)).append("</h2>\n");
		return this;
	}

	Html p(String rawHtml) {
		sb.append("<p>").append(rawHtml).append("</p>\n");
		return this;
	}

	/**
	 * The key numbers of one or more runs side by side (headers: the runs' names, none
	 * for one run).
	 */
	Html keyNumbers(List<KeyNumbers> runs, List<String> names) {
		h2("Key numbers");
		sb.append("<table>\n");
		if (!names.isEmpty()) {
			sb.append("<tr><th></th>");
			names.forEach(n -> sb.append("<th>").append(escape(n)).append("</th>"));
			sb.append("</tr>\n");
		}
		for (KeyNumbers.Row first : runs.getFirst().rows()) {
			sb.append("<tr><th>").append(escape(first.name())).append("</th>");
			for (KeyNumbers run : runs) {
				KeyNumbers.Row r = run.rows()
					.stream()
					.filter(x -> x.name().equals(first.name()))
					.findFirst()
					.orElse(null);
				if (r == null) {
					sb.append("<td class=\"absent\">not in this run</td>");
				}
				else if (r.value() == null) {
					sb.append("<td class=\"absent\">none: ").append(escape(r.detail())).append("</td>");
				}
				else {
					sb.append("<td><span class=\"num\">")
						.append(escape(r.value()))
						.append("</span> ")
						.append(escape(r.detail()))
						.append("</td>");
				}
			}
			sb.append("</tr>\n");
		}
		sb.append("</table>\n");
		return this;
	}

	Html settings(List<ReportPage.Setting> settings) {
		sb.append("<table>\n");
		for (ReportPage.Setting s : settings) {
			sb.append("<tr><th>")
				.append(escape(s.name()))
				.append("</th><td>")
				.append(escape(s.value()))
				.append("</td></tr>\n");
		}
		sb.append("</table>\n");
		return this;
	}

	Html figure(String src, String alt) {
		sb.append("<p><img src=\"").append(escape(src)).append("\" alt=\"").append(escape(alt)).append("\"></p>\n");
		return this;
	}

	Html sideBySide(String leftSrc, String leftAlt, String rightSrc, String rightAlt) {
		sb.append("<div class=\"side\"><div><img src=\"")
			.append(escape(leftSrc))
			.append("\" alt=\"")
			.append(escape(leftAlt))
			.append("\"></div><div><img src=\"")
			.append(escape(rightSrc))
			.append("\" alt=\"")
			.append(escape(rightAlt))
			.append("\"></div></div>\n");
		return this;
	}

	Html missing(List<String> missing) {
		h2("Missing series");
		if (missing.isEmpty()) {
			return p("None: every series of the figure has data.");
		}
		sb.append("<ul class=\"absent\">\n");
		missing.forEach(m -> sb.append("<li>").append(escape(m)).append("</li>\n"));
		sb.append("</ul>\n");
		return this;
	}

	Html list(List<String> items) {
		sb.append("<ul>\n");
		items.forEach(i -> sb.append("<li>").append(escape(i)).append("</li>\n"));
		sb.append("</ul>\n");
		return this;
	}

	String end() {
		return sb + MARKER + "</body></html>\n";
	}

	static String link(String href, String text) {
		return "<a href=\"" + escape(href) + "\">" + escape(text) + "</a>";
	}

	static String escape(String s) {
		return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

}
