package dev.cumsum.loadtest.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jmesPath;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import dev.cumsum.loadtest.profile.LoadProfile;
import dev.cumsum.loadtest.profile.Params;
import dev.cumsum.loadtest.profile.Stage;
import io.gatling.javaapi.core.OpenInjectionStep;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Open workload against {@code POST /api}: every virtual user sends one request, users
 * arrive at the profile's rate whatever the response times are. Parameters (system
 * properties or {@code LOADTEST_*} environment variables, see {@link Params}):
 * {@code baseUrl}, {@code profile} and its rates and durations (see
 * {@link LoadProfile#from}), {@code arrayLength}, {@code mode}, {@code maxErrorPercent}.
 *
 * <p>
 * Each virtual user opens its own connection (Gatling's default, no
 * {@code shareConnections}): behind a Kubernetes Service, kube-proxy balances
 * connections, not requests, so a few long-lived keep-alive connections would never reach
 * pods added by the autoscaler. The default target, {@link #DEFAULT_BASE_URL}, is the
 * Gateway of the kind cluster (scripts/kind-up.sh maps host port 8080 to Envoy, which
 * balances every request over all cumsum-api pods) and also the local stack
 * (scripts/run-local.sh); never a {@code kubectl port-forward}, which reaches a single
 * pod.
 */
public class CumsumSimulation extends Simulation {

	/**
	 * Host port 8080 of platform/kind-config.yaml (checked by the helm module's
	 * KindAccessTest).
	 */
	static final String DEFAULT_BASE_URL = "http://127.0.0.1:8080";

	private final Params params = Params.system();

	private final LoadProfile profile = LoadProfile.from(params);

	private final String baseUrl = params.get("baseUrl", DEFAULT_BASE_URL);

	private final int arrayLength = params.getInt("arrayLength", 100);

	private final String mode = params.get("mode", "man");

	private final double maxErrorPercent = params.getDouble("maxErrorPercent", 1.0);

	private final HttpProtocolBuilder protocol = http.baseUrl(baseUrl)
		.contentTypeHeader("application/json")
		.acceptHeader("application/json")
		.userAgentHeader("cumsum-loadtest");

	private final ScenarioBuilder scenario = scenario("cumsum " + profile.name())
		.feed(new Payloads(arrayLength, mode, params.getInt("seed", 42)))
		.exec(http("POST /api").post("/api")
			.body(StringBody("#{body}"))
			.check(status().is(200))
			// null-safe: an error body (problem+json, no data) fails the check instead of
			// crashing it
			.check(jmesPath("length(data || `[]`)").ofInt().isEL("#{expectedLength}"))
			.check(jmesPath("data[-1]").ofDouble().is(session -> session.getDouble("expectedLast"))));

	{
		System.out.printf(
				"cumsum-loadtest: profile=%s target=%s duration=%ss expected requests=%.0f arrayLength=%d mode=%s%n",
				profile.name(), baseUrl, profile.duration().toSeconds(), profile.expectedRequests(), arrayLength, mode);
		setUp(scenario.injectOpen(injection(profile))).protocols(protocol)
			// a stuck target must not keep a bounded run going
			.maxDuration(profile.duration().plus(Duration.ofSeconds(30)))
			.assertions(global().failedRequests().percent().lte(maxErrorPercent));
	}

	static OpenInjectionStep[] injection(LoadProfile profile) {
		List<OpenInjectionStep> steps = new ArrayList<>();
		for (Stage s : profile.stages()) {
			if (s.isConstant() && s.startRate() == 0) {
				steps.add(nothingFor(s.duration()));
			}
			else if (s.isConstant()) {
				steps.add(constantUsersPerSec(s.startRate()).during(s.duration()));
			}
			else {
				steps.add(rampUsersPerSec(s.startRate()).to(s.endRate()).during(s.duration()));
			}
		}
		return steps.toArray(OpenInjectionStep[]::new);
	}

}
