package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.cumsum.helm.Chart.Manifest;
import dev.cumsum.helm.Chart.Rendered;
import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.util.Yaml;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lints the chart and renders it in every mode of ci/*-values.yaml; every object must
 * load strictly.
 */
class ChartRenderTest {

	/**
	 * Kinds that are custom resources: checked by {@link CustomResourceFields}, not the
	 * typed client.
	 */
	static final Set<String> CUSTOM_KINDS = Set.of("ServiceMonitor", "PrometheusRule", "ScaledObject", "HTTPRoute");

	static Stream<Arguments> modes() {
		List<Arguments> modes = new ArrayList<>();
		modes.add(Arguments.of("defaults", null));
		for (Path file : Chart.ciValuesFiles()) {
			modes.add(Arguments.of(file.getFileName().toString(), file));
		}
		return modes.stream();
	}

	@Test
	void lintPasses() {
		LintResult result = new Helm(Chart.DIR).lint().strict().call();
		assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
	}

	@Test
	void everyCiModeIsCovered() {
		assertThat(Chart.ciValuesFiles()).extracting(p -> p.getFileName().toString())
			.contains("hpa-values.yaml", "keda-values.yaml", "external-mongodb-values.yaml", "ingress-values.yaml",
					"httproute-values.yaml", "tracing-values.yaml", "minimal-values.yaml",
					"plain-manifests-values.yaml");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("modes")
	void everyObjectLoadsStrictly(String mode, Path values) throws IOException {
		Rendered rendered = Chart.render(values);
		assertThat(rendered.ofKind("Deployment")).extracting(Manifest::name)
			.contains("demo-cumsum-api", "demo-transaction-api");
		Set<String> seen = new HashSet<>();
		for (Manifest m : rendered.manifests()) {
			assertThat(seen.add(m.kind() + "/" + m.name())).as("duplicate %s/%s", m.kind(), m.name()).isTrue();
			assertThat(m.name()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?").hasSizeLessThanOrEqualTo(63);
			assertThat(Chart.Tree.string(m.body(), "metadata.namespace")).as(m.name()).isEqualTo(Chart.NAMESPACE);
			if (CUSTOM_KINDS.contains(m.kind())) {
				CustomResourceFields.check(m);
			}
			else {
				Object typed = Yaml.load(m.text());
				assertThat(typed).as(m.kind()).isInstanceOf(KubernetesObject.class);
				assertThat(((KubernetesObject) typed).getMetadata().getName()).isEqualTo(m.name());
			}
		}
	}

	@Test
	void strictLoaderRejectsAnUnknownField() {
		Manifest deployment = Chart.renderDefaults().get("Deployment", "demo-cumsum-api");
		String typo = deployment.text().replace("terminationGracePeriodSeconds:", "terminationGracePeriodSecond:");
		assertThatThrownBy(() -> Yaml.load(typo)).hasMessageContaining("terminationGracePeriodSecond");
	}

	@Test
	void customResourceCheckRejectsAnUnknownField() {
		Manifest monitor = Chart.renderDefaults().get("ServiceMonitor", "demo-cumsum-api");
		Manifest typo = Rendered.parse(monitor.text().replace("scrapeTimeout:", "scrapeTimout:"))
			.manifests()
			.getFirst();
		assertThatThrownBy(() -> CustomResourceFields.check(typo)).hasMessageContaining("scrapeTimout");
	}

}
