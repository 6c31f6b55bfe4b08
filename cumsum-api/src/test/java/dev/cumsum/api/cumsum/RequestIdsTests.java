package dev.cumsum.api.cumsum;

import java.util.regex.Pattern;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

class RequestIdsTests {

	/** The rule the README documents, as the regex the hand-written check replaced. */
	private static final Pattern RULE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

	@Property(tries = 2000)
	void isValidFollowsTheDocumentedRule(@ForAll("ids") String id) {
		assertThat(RequestIds.isValid(id)).as("'%s'", id).isEqualTo(RULE.matcher(id).matches());
	}

	@Property(tries = 200)
	void generatedIdsAreValid() {
		assertThat(RequestIds.isValid(RequestIds.generate())).isTrue();
	}

	@Provide
	Arbitrary<String> ids() {
		// mostly allowed characters, some of their neighbours in ASCII and beyond,
		// lengths around the limit
		Arbitrary<String> near = Arbitraries.strings()
			.withChars("azAZ09._:-/ @[`{~\u00e9\u0000")
			.withCharRange('a', 'c')
			.ofMinLength(0)
			.ofMaxLength(130);
		Arbitrary<String> longOnes = Arbitraries.strings().withChars("aZ9.").ofMinLength(126).ofMaxLength(130);
		return Arbitraries.oneOf(near, longOnes, Arbitraries.strings().ofMaxLength(20));
	}

}
