package dev.cumsum.api.cumsum;

/** How the cumulative sum is computed; both modes give identical results. */
public enum Mode {

	/** Sequential loop. */
	MAN,

	/** Parallel prefix ({@link java.util.Arrays#parallelPrefix}), named after numpy's cumsum. */
	NP;

	public String label() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

	static Mode parse(String value) {
		return switch (value) {
			case "man" -> MAN;
			case "np" -> NP;
			default -> throw new InvalidRequestException("mode must be \"man\" or \"np\", was \"" + value + "\"");
		};
	}

}
