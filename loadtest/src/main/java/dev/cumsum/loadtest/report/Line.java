package dev.cumsum.loadtest.report;

import java.awt.Color;

/**
 * A column of a table as drawn: legend label, colour, and dashed for references (targets,
 * bounds).
 */
record Line(String column, String label, Color color, boolean dashed) {

	private static final Color[] PODS = { new Color(44, 160, 44), new Color(140, 86, 75), new Color(227, 119, 194),
			new Color(188, 189, 34), new Color(23, 190, 207), new Color(127, 127, 127), new Color(31, 119, 180),
			new Color(148, 103, 189) };

	static Color podColor(int i) {
		return PODS[i % PODS.length];
	}
}
