package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The generated MongoDB password survives upgrades: the chart reads it back with
 * `lookup`.
 */
class MongoSecretTest {

	private final FakeApiServer api = FakeApiServer.start();

	@AfterEach
	void forget() {
		api.secret(Chart.NAMESPACE, "demo-mongodb", null);
	}

	private static String password() {
		Object data = Chart.Tree.get(Chart.renderDefaults().get("Secret", "demo-mongodb").body(), "data.password");
		return new String(Base64.getDecoder().decode((String) data));
	}

	@Test
	void newInstallGeneratesAFreshPassword() {
		String first = password();
		assertThat(first).matches("[A-Za-z0-9]{32}");
		assertThat(password()).isNotEqualTo(first);
	}

	@Test
	void upgradeKeepsTheExistingPassword() {
		String kept = "KeptFromTheFirstInstall0123456789";
		api.secret(Chart.NAMESPACE, "demo-mongodb",
				Map.of("username", Base64.getEncoder().encodeToString("root".getBytes()), "password",
						Base64.getEncoder().encodeToString(kept.getBytes())));
		assertThat(password()).isEqualTo(kept);
	}

	@Test
	void everyGeneratedValueIsKeptOnUpgradeAndMissingOnesAreAdded() {
		// a release of the standalone chart: its Secret had no application password and
		// no keyFile
		String root = "RootFromTheFirstInstall0123456789";
		api.secret(Chart.NAMESPACE, "demo-mongodb",
				Map.of("username", Base64.getEncoder().encodeToString("root".getBytes()), "password",
						Base64.getEncoder().encodeToString(root.getBytes())));
		Map<String, Object> data = Chart.Tree.map(Chart.renderDefaults().get("Secret", "demo-mongodb").body(), "data");
		assertThat(decode(data, "password")).isEqualTo(root);
		assertThat(decode(data, "app-password")).matches("[A-Za-z0-9]{32}");
		// mongod: 6 to 1024 characters of the base64 alphabet
		assertThat(decode(data, "keyfile")).matches("[A-Za-z0-9]{756}");

		// the next upgrade keeps all of them, including the ones added above
		Map<String, String> current = new java.util.HashMap<>();
		data.forEach((k, v) -> current.put(k, (String) v));
		api.secret(Chart.NAMESPACE, "demo-mongodb", current);
		assertThat(Chart.Tree.map(Chart.renderDefaults().get("Secret", "demo-mongodb").body(), "data")).isEqualTo(data);
	}

	private static String decode(Map<String, Object> data, String key) {
		return new String(Base64.getDecoder().decode((String) data.get(key)));
	}

	@Test
	void anExistingSecretReplacesTheGeneratedOne() {
		var rendered = Chart.render(null, Map.of("mongodb.auth.existingSecret", "my-mongo"));
		assertThat(rendered.has("Secret", "demo-mongodb")).isFalse();
		assertThat(
				Chart.Tree.string(rendered.get("StatefulSet", "demo-mongodb").body(), "spec.template.spec.containers"))
			.contains("name=my-mongo");
	}

}
