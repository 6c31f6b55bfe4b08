package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/kind-up.sh and kind-down.sh without a cluster: shellcheck, a dry run against
 * stub kind/kubectl/helm/helmfile/docker/curl executables that record their calls (the
 * order of the steps and what is waited for; not a cluster test), and no wait on a
 * condition that kind cannot reach (scripts/lib/kind-unreachable-conditions.txt).
 */
class KindScriptTest {

	private static final Path ROOT = Chart.REPO_ROOT;

	private static final Path UNREACHABLE = ROOT.resolve("scripts/lib/kind-unreachable-conditions.txt");

	record Result(int exit, String stdout, String stderr, List<String> calls) {
	}

	@Test
	void scriptsPassShellcheck() throws Exception {
		Process p = new ProcessBuilder("shellcheck", "-x", "scripts/kind-up.sh", "scripts/kind-down.sh")
			.directory(ROOT.toFile())
			.redirectErrorStream(true)
			.start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(p.exitValue()).as(out).isZero();
	}

	/**
	 * A copy of what kind-up.sh reads, a stub images/build-images.sh, and stub tools
	 * first on PATH.
	 */
	static Result dryRun(Path dir, Map<String, String> env) throws Exception {
		for (String file : List.of("scripts/kind-up.sh", "scripts/kind-down.sh", "helm/cumsum-autoscale/Chart.yaml")) {
			Files.createDirectories(dir.resolve(file).getParent());
			Files.copy(ROOT.resolve(file), dir.resolve(file));
		}
		try (Stream<Path> files = Files.list(ROOT.resolve("platform"))) {
			Files.createDirectories(dir.resolve("platform"));
			for (Path f : files.toList()) {
				Files.copy(f, dir.resolve("platform").resolve(f.getFileName()));
			}
		}
		Path log = dir.resolve("calls.log");
		Files.createFile(log);
		String record = "echo \"$(basename \"$0\") $*\" >> \"$STUB_LOG\"\n";
		stub(dir.resolve("images/build-images.sh"), record);
		Path bin = dir.resolve("bin");
		for (String tool : List.of("kind", "helm", "helmfile", "docker")) {
			stub(bin.resolve(tool), record);
		}
		// kubectl: every call succeeds, except `wait` when the test says so
		stub(bin.resolve("kubectl"),
				record + "if [[ \"$*\" == *' wait '* && \"${STUB_FAIL_WAIT:-0}\" == 1 ]]; then exit 1; fi\n");
		// curl: the API's answer to {"arr":[1,2,3]}, written where -o says, status code
		// on stdout
		stub(bin.resolve("curl"), record + """
				out=/dev/stdout
				while [[ $# -gt 0 ]]; do [[ "$1" == -o ]] && { out=$2; shift; }; shift; done
				printf '%s' '{"message":"success","data":[1,3,6],"request_id":"r1"}' > "$out"
				printf 200
				""");
		ProcessBuilder pb = new ProcessBuilder("bash", "scripts/kind-up.sh").directory(dir.toFile());
		pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
		pb.environment().put("STUB_LOG", log.toString());
		pb.environment().putAll(env);
		Path out = dir.resolve("stdout");
		Path err = dir.resolve("stderr");
		Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
		assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("kind-up.sh finished").isTrue();
		return new Result(p.exitValue(), Files.readString(out), Files.readString(err), Files.readAllLines(log));
	}

	static void stub(Path file, String body) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, "#!/usr/bin/env bash\n" + body);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
	}

	/**
	 * Index of the first recorded call that starts with prefix; fails when there is none.
	 */
	static int indexOf(List<String> calls, String prefix) {
		for (int i = 0; i < calls.size(); i++) {
			if (calls.get(i).startsWith(prefix)) {
				return i;
			}
		}
		throw new AssertionError("no call starting with \"" + prefix + "\" in\n" + String.join("\n", calls));
	}

	@Test
	void dryRunCreatesLoadsInstallsWaitsOnReachableThingsAndChecksThroughLocalhost(@TempDir Path dir) throws Exception {
		Result r = dryRun(dir, Map.of());
		assertThat(r.exit()).as(r.stderr()).isZero();
		List<String> calls = r.calls();
		int[] order = { indexOf(calls, "kind create cluster --name cumsum --config platform/kind-config.yaml"),
				indexOf(calls, "build-images.sh"),
				indexOf(calls,
						"kind load docker-image --name cumsum cumsum-autoscale/cumsum-api:0.1.0 cumsum-autoscale/transaction-api:0.1.0 cumsum-autoscale/loadtest:0.1.0"),
				indexOf(calls, "helmfile -l tier=platform sync"),
				indexOf(calls, "kubectl apply -f platform/envoy-proxy.yaml"),
				indexOf(calls, "kubectl apply -f platform/gateway.yaml"),
				indexOf(calls,
						"kubectl -n envoy-gateway-system wait --for=condition=Available deployment/cumsum-gateway"),
				indexOf(calls,
						"helm upgrade --install demo helm/cumsum-autoscale --namespace cumsum --create-namespace -f platform/kind-app-values.yaml --wait"),
				indexOf(calls, "helm test demo --namespace cumsum"), indexOf(calls, "curl "), };
		for (int i = 1; i < order.length; i++) {
			assertThat(order[i]).as("step %d after step %d:\n%s", i, i - 1, String.join("\n", calls))
				.isGreaterThan(order[i - 1]);
		}
		String smoke = calls.get(order[order.length - 1]);
		assertThat(smoke).contains("http://localhost:8080/api").contains("{\"arr\":[1,2,3]}");
		assertThat(calls).noneMatch(c -> c.contains("Programmed")).noneMatch(c -> c.contains("port-forward"));
		assertThat(r.stdout()).contains("Ready.")
			.contains("http://localhost:8080/api")
			.contains("http://localhost:3000")
			.doesNotContainPattern("kubectl[^\n]*port-forward");
	}

	@Test
	void dryRunStopsWithTheProxyStatusWhenEnvoyNeverBecomesAvailable(@TempDir Path dir) throws Exception {
		Result r = dryRun(dir, Map.of("STUB_FAIL_WAIT", "1"));
		assertThat(r.exit()).isNotZero();
		assertThat(r.stderr()).contains("FAILED").contains("deployment/cumsum-gateway").contains("not Available");
		assertThat(r.calls()).contains("kubectl -n envoy-gateway-system get gateway/cumsum-gateway -o yaml",
				"kubectl -n envoy-gateway-system describe deployment/cumsum-gateway",
				"kubectl -n envoy-gateway-system get envoyproxy/cumsum-proxy -o yaml");
		assertThat(r.calls()).noneMatch(c -> c.startsWith("helm upgrade"));
	}

	/**
	 * (resource, condition) of every `kubectl ... wait --for=condition=...` in a shell
	 * text; continuation lines joined.
	 */
	static List<List<String>> conditionWaits(String text) {
		List<List<String>> waits = new ArrayList<>();
		Set<String> flagsWithValue = Set.of("-n", "--namespace", "-l", "--selector", "--timeout", "--context", "-f",
				"--filename");
		for (String line : text.replace("\\\n", " ").split("\n")) {
			for (String command : line.split("&&|\\|\\||;|\\bthen\\b|\\bif\\b|!")) {
				List<String> words = List.of(command.trim().replace("\"", "").replace("'", "").split("\\s+"));
				int kubectl = words.indexOf("kubectl");
				if (kubectl < 0 || !words.subList(kubectl, words.size()).contains("wait")) {
					continue;
				}
				String condition = null;
				String resource = null;
				for (int i = words.indexOf("wait") + 1; i < words.size(); i++) {
					String w = words.get(i);
					if (w.startsWith("--for=condition=")) {
						condition = w.substring("--for=condition=".length()).split("=")[0];
					}
					else if (flagsWithValue.contains(w)) {
						i++;
					}
					else if (!w.startsWith("-") && resource == null) {
						resource = w.split("/")[0].split("\\.")[0].toLowerCase().replaceAll("s$", "");
					}
				}
				if (condition != null && resource != null) {
					waits.add(List.of(resource, condition));
				}
			}
		}
		return waits;
	}

	static List<List<String>> unreachable() throws IOException {
		return Files.readAllLines(UNREACHABLE)
			.stream()
			.filter(l -> !l.isBlank() && !l.startsWith("#"))
			.map(l -> List.of(l.trim().split("\\s+")[0].toLowerCase(), l.trim().split("\\s+")[1]))
			.toList();
	}

	@Test
	void unreachableConditionsAreRecognisedWhereverTheyAreWritten() throws IOException {
		assertThat(unreachable()).contains(List.of("gateway", "Programmed"), List.of("httproute", "Accepted"));
		// the wait the old kind-up.sh had, in the spellings kubectl accepts
		assertThat(conditionWaits(
				"kubectl -n envoy-gateway-system wait --for=condition=Programmed gateway/cumsum-gateway --timeout=180s"))
			.containsExactly(List.of("gateway", "Programmed"));
		assertThat(conditionWaits(
				"if ! kubectl wait \\\n  gateways.gateway.networking.k8s.io/x -n ns --for=condition=Programmed=True; then"))
			.containsExactly(List.of("gateway", "Programmed"));
		assertThat(conditionWaits("kubectl wait -n cumsum --for=condition=Accepted httproute -l app=x"))
			.containsExactly(List.of("httproute", "Accepted"));
	}

	@Test
	void noScriptOrDocWaitsOnAConditionKindCannotReach() throws IOException {
		List<Path> files = new ArrayList<>();
		for (String dir : List.of("scripts", "scripts/lib", "images", "loadtest/scripts")) {
			try (Stream<Path> list = Files.list(ROOT.resolve(dir))) {
				files.addAll(list.filter(f -> f.toString().endsWith(".sh")).toList());
			}
		}
		files.add(ROOT.resolve("docs/kubernetes.md"));
		files.add(ROOT.resolve("README.md"));
		List<List<String>> unreachable = unreachable();
		List<List<String>> seen = new ArrayList<>();
		for (Path f : files) {
			for (List<String> wait : conditionWaits(Files.readString(f))) {
				assertThat(unreachable).as("%s waits on %s", ROOT.relativize(f), wait).doesNotContain(wait);
				seen.add(wait);
			}
		}
		// the parser sees the waits that are there: kind-up.sh waits for the Envoy
		// Deployment
		assertThat(seen).contains(List.of("deployment", "Available"));
	}

}
