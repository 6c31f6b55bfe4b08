package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The history read token: generated once, kept across upgrades with `lookup`, handed to
 * cumsum-api.
 */
class HistoryTokenSecretTest {

	private final FakeApiServer api = FakeApiServer.start();

	@AfterEach
	void forget() {
		api.secret(Chart.NAMESPACE, "demo-history-token", null);
	}

	private static String token() {
		Object data = Chart.Tree.get(Chart.renderDefaults().get("Secret", "demo-history-token").body(), "data.token");
		return new String(Base64.getDecoder().decode((String) data));
	}

	@Test
	void newInstallGeneratesAFreshToken() {
		String first = token();
		assertThat(first).matches("[A-Za-z0-9]{40}");
		assertThat(token()).isNotEqualTo(first);
	}

	@Test
	void upgradeKeepsTheExistingToken() {
		String kept = "KeptFromTheFirstInstall0123456789abcdefg";
		api.secret(Chart.NAMESPACE, "demo-history-token",
				Map.of("token", Base64.getEncoder().encodeToString(kept.getBytes())));
		assertThat(token()).isEqualTo(kept);
	}

	@Test
	void cumsumApiReadsTheTokenFromTheSecret() {
		assertThat(Chart.Tree.string(Chart.renderDefaults().get("Deployment", "demo-cumsum-api").body(),
				"spec.template.spec.containers"))
			.contains("name=CUMSUM_HISTORY_TOKEN, valueFrom={secretKeyRef={name=demo-history-token, key=token}}");
	}

	@Test
	void anExistingSecretReplacesTheGeneratedOne() {
		var rendered = Chart.render(null, Map.of("history.auth.existingSecret", "my-history-token"));
		assertThat(rendered.has("Secret", "demo-history-token")).isFalse();
		assertThat(Chart.Tree.string(rendered.get("Deployment", "demo-cumsum-api").body(),
				"spec.template.spec.containers"))
			.contains("secretKeyRef={name=my-history-token, key=token}");
	}

}
