package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.DryRun;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * NOTES.txt tells the user how to reach the API, Grafana and the autoscaler (client-only
 * dry run).
 */
class NotesTest {

	static String notes(Path values) {
		return notes(values, Map.of());
	}

	static String notes(Path values, Map<String, String> sets) {
		FakeApiServer.start();
		InstallCommand install = new Helm(Chart.DIR).install()
			.withName(Chart.RELEASE)
			.withNamespace(Chart.NAMESPACE)
			.withKubeVersion(Chart.KUBE_VERSION)
			.withDryRunOption(DryRun.CLIENT)
			.clientOnly();
		if (values != null) {
			install = install.withValuesFile(values);
		}
		for (Map.Entry<String, String> set : sets.entrySet()) {
			install = install.set(set.getKey(), set.getValue());
		}
		String output = install.call().getOutput();
		return output.substring(output.indexOf("NOTES:"));
	}

	@Test
	void defaultsPointAtPortForwardGrafanaAndTheHpas() {
		String notes = notes(null);
		assertThat(notes).contains("kubectl -n cumsum port-forward svc/demo-cumsum-api 8080:8080")
			.contains("kubectl -n cumsum get secret demo-history-token -o jsonpath='{.data.token}' | base64 -d")
			.contains("curl -s -H \"Authorization: Bearer $TOKEN\" http://127.0.0.1:8080/api/transactions/stats")
			.contains("kubectl -n monitoring port-forward svc/kube-prometheus-stack-grafana 3000:80")
			.contains("kubectl -n cumsum get hpa demo-cumsum-api --watch")
			.contains("/apis/custom.metrics.k8s.io/v1beta1/namespaces/cumsum/pods/*/transaction_records_per_second")
			.contains("helm test demo -n cumsum");
	}

	@Test
	void trafficAndKedaModesAreDescribed() {
		assertThat(notes(Chart.DIR.resolve("ci/ingress-values.yaml"))).contains("https://cumsum.example.test/api");
		assertThat(notes(Chart.DIR.resolve("ci/httproute-values.yaml"))).contains("http://cumsum.localtest.me/api");
		assertThat(notes(Chart.DIR.resolve("ci/keda-values.yaml")))
			.contains("kubectl -n cumsum get scaledobject demo-cumsum-api")
			.contains("keda-hpa-demo-transaction-api");
	}

	@Test
	void grafanaIsInMetricsNamespace() {
		assertThat(notes(null, Map.of("metrics.namespace", "observability")))
			.contains("kubectl -n observability port-forward svc/kube-prometheus-stack-grafana 3000:80");
	}

}
