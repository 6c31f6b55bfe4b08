package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cumsum.helm.Chart.Manifest;
import dev.cumsum.helm.Chart.Rendered;
import dev.cumsum.helm.Chart.Tree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the rendered replset.js (the `replset` sidecar's routine) under Node, with
 * src/test/resources/replset-harness.js standing in for mongosh's shell API, in the
 * situations a member meets: what it does to the set and its users, and whether it asks
 * to be run again soon (exit 3) or is done (exit 0). The environment is the one the chart
 * gives the sidecar (3 members). Not a MongoDB test: what the server does with
 * rs.initiate/rs.add is MongoDB's (docs/kubernetes.md, "MongoDB").
 */
class ReplsetScriptTest {

	private static final String ROOT_PASSWORD = "rootpw";

	private static final String APP_PASSWORD = "apppw";

	private static String script;

	private static Map<String, String> env;

	private static List<String> members;

	@TempDir
	Path dir;

	@BeforeAll
	static void render() {
		Rendered rendered = Chart.render(null, Map.of("mongodb.replicas", "3"));
		script = (String) Tree.map(rendered.get("ConfigMap", "demo-mongodb-replset").body(), "data").get("replset.js");
		Manifest sts = rendered.get("StatefulSet", "demo-mongodb");
		Map<String, Object> sidecar = Tree.list(sts.body(), "spec.template.spec.containers")
			.stream()
			.filter(c -> "replset".equals(c.get("name")))
			.findFirst()
			.orElseThrow();
		env = new LinkedHashMap<>();
		for (Map<String, Object> e : Tree.list(sidecar, "env")) {
			if (e.get("value") != null) {
				env.put((String) e.get("name"), (String) e.get("value"));
			}
		}
		// the Secret's values (valueFrom in the pod)
		env.put("MONGODB_ROOT_USERNAME", "root");
		env.put("MONGODB_ROOT_PASSWORD", ROOT_PASSWORD);
		env.put("MONGODB_APP_PASSWORD", APP_PASSWORD);
		members = List.of(env.get("MONGODB_MEMBERS").split(","));
		assertThat(members).hasSize(3);
	}

	record Run(int exit, List<Map<String, Object>> calls) {
	}

	private Run run(int ordinal, Map<String, Object> self, Map<String, Object> others)
			throws IOException, InterruptedException {
		Map<String, String> podEnv = new LinkedHashMap<>(env);
		podEnv.put("POD_NAME", "demo-mongodb-" + ordinal);
		Map<String, Object> scenario = Map.of("env", podEnv, "self", self, "others", others);
		Path scenarioFile = dir.resolve("scenario.json");
		Files.writeString(scenarioFile, toJson(scenario));
		Path scriptFile = dir.resolve("replset.js");
		Files.writeString(scriptFile, script);
		Path harness = Path.of("src/test/resources/replset-harness.js").toAbsolutePath();
		Process p = new ProcessBuilder("node", harness.toString(), scenarioFile.toString(), scriptFile.toString())
			.redirectErrorStream(true)
			.start();
		assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("node finished").isTrue();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		List<Map<String, Object>> calls = new ArrayList<>();
		Integer exit = null;
		for (String line : out.split("\n")) {
			if (line.isBlank()) {
				continue;
			}
			Object parsed = Chart.parseYaml(line);
			assertThat(parsed).as("harness output line: %s (all output: %s)", line, out).isInstanceOf(Map.class);
			@SuppressWarnings("unchecked")
			Map<String, Object> entry = (Map<String, Object>) parsed;
			if (entry.containsKey("exit")) {
				exit = (Integer) entry.get("exit");
			}
			else {
				calls.add(entry);
			}
		}
		assertThat(exit).as("quit() code, output: %s", out).isNotNull();
		assertThat(p.exitValue()).isEqualTo(exit);
		return new Run(exit, calls);
	}

	private static Map<String, Object> member(Map<String, Object> hello, Map<String, String> users,
			List<String> config) {
		return Map.of("answers", true, "hello", hello, "users", users, "config", config);
	}

	private static Map<String, String> rootOnly() {
		return Map.of("admin/root", ROOT_PASSWORD);
	}

	private static Map<String, String> rootAndApp(String appPassword) {
		return Map.of("admin/root", ROOT_PASSWORD, "cumsum/cumsum", appPassword);
	}

	private static final Map<String, Object> UNINITIATED = Map.of("isreplicaset", true, "isWritablePrimary", false,
			"secondary", false);

	private static final Map<String, Object> PRIMARY = Map.of("setName", "rs0", "isWritablePrimary", true, "secondary",
			false);

	private static final Map<String, Object> SECONDARY = Map.of("setName", "rs0", "isWritablePrimary", false,
			"secondary", true);

	@Test
	void theFirstMemberOfANewSetInitiatesItWithItselfOnly() throws Exception {
		Run run = run(0, member(UNINITIATED, rootOnly(), List.of()), Map.of());
		assertThat(run.calls()).singleElement().satisfies(call -> {
			assertThat(call.get("call")).isEqualTo("rs.initiate");
			assertThat(Tree.string(call, "config._id")).isEqualTo("rs0");
			assertThat(Tree.list(call, "config.members")).singleElement()
				.satisfies(m -> assertThat(m).containsEntry("_id", 0).containsEntry("host", members.getFirst()));
		});
		assertThat(run.exit()).as("run again soon: the user and the members come next").isEqualTo(3);
	}

	@Test
	void theFirstMemberWithALostVolumeDoesNotStartASecondSetBesideTheLivingOne() throws Exception {
		Run run = run(0, member(UNINITIATED, rootOnly(), List.of()), Map.of(members.get(1), SECONDARY));
		assertThat(run.calls()).as("no rs.initiate: the primary's heartbeats bring the config back").isEmpty();
		assertThat(run.exit()).isEqualTo(3);
	}

	@Test
	void anotherMemberWaitsToBeAddedAndNeverInitiates() throws Exception {
		Run run = run(1, member(UNINITIATED, rootOnly(), List.of()), Map.of(members.get(0), PRIMARY));
		assertThat(run.calls()).isEmpty();
		assertThat(run.exit()).isEqualTo(3);
	}

	@Test
	void nothingHappensWhileTheImageInitialisesOrMongodDoesNotAnswer() throws Exception {
		// the entrypoint's temporary mongod: no --replSet
		Run initialising = run(0, member(Map.of("isWritablePrimary", true), rootOnly(), List.of()), Map.of());
		assertThat(initialising.calls()).isEmpty();
		assertThat(initialising.exit()).isEqualTo(3);
		Run down = run(0, Map.of("answers", false), Map.of());
		assertThat(down.calls()).isEmpty();
		assertThat(down.exit()).isEqualTo(3);
		// root not created yet (or another password): not a crash, just not yet
		Run noRoot = run(0, member(UNINITIATED, Map.of(), List.of()), Map.of());
		assertThat(noRoot.calls()).isEmpty();
		assertThat(noRoot.exit()).isEqualTo(3);
	}

	@Test
	void thePrimaryCreatesAMissingApplicationUserAndAddsOneAnsweringMemberPerRun() throws Exception {
		Run run = run(0, member(PRIMARY, rootOnly(), List.of(members.getFirst())),
				Map.of(members.get(1), UNINITIATED, members.get(2), UNINITIATED));
		assertThat(run.calls()).hasSize(2);
		assertThat(run.calls().getFirst()).containsEntry("call", "createUser")
			.containsEntry("db", "cumsum")
			.containsEntry("user", "cumsum")
			.containsEntry("pwd", APP_PASSWORD)
			.containsEntry("roles", List.of(Map.of("role", "readWrite", "db", "cumsum")));
		assertThat(run.calls().get(1)).containsEntry("call", "rs.add")
			.containsEntry("member", Map.of("host", members.get(1)));
		assertThat(run.exit()).isEqualTo(3);
	}

	@Test
	void thePrimarySkipsMembersThatDoNotAnswerYet() throws Exception {
		Run run = run(0, member(PRIMARY, rootAndApp(APP_PASSWORD), List.of(members.getFirst())),
				Map.of(members.get(2), UNINITIATED));
		assertThat(run.calls()).singleElement()
			.satisfies(call -> assertThat(call).containsEntry("call", "rs.add")
				.containsEntry("member", Map.of("host", members.get(2))));
		assertThat(run.exit()).isEqualTo(3);
	}

	@Test
	void thePrimaryResetsAnApplicationUserThatCannotLogIn() throws Exception {
		Run run = run(0, member(PRIMARY, rootAndApp("old"), members), Map.of());
		assertThat(run.calls()).singleElement()
			.satisfies(call -> assertThat(call).containsEntry("call", "updateUser")
				.containsEntry("user", "cumsum")
				.containsEntry("pwd", APP_PASSWORD)
				.containsEntry("roles", List.of(Map.of("role", "readWrite", "db", "cumsum"))));
		assertThat(run.exit()).isZero();
	}

	@Test
	void aCompleteSetHasNothingLeftToDo() throws Exception {
		Run primary = run(0, member(PRIMARY, rootAndApp(APP_PASSWORD), members), Map.of());
		assertThat(primary.calls()).isEmpty();
		assertThat(primary.exit()).isZero();
		Run secondary = run(2, member(SECONDARY, rootAndApp(APP_PASSWORD), members), Map.of());
		assertThat(secondary.calls()).isEmpty();
		assertThat(secondary.exit()).isZero();
	}

	/** Minimal JSON for the scenario (maps, lists, strings, numbers, booleans). */
	private static String toJson(Object value) {
		if (value instanceof Map<?, ?> map) {
			List<String> fields = new ArrayList<>();
			map.forEach((k, v) -> fields.add(toJson(k.toString()) + ":" + toJson(v)));
			return "{" + String.join(",", fields) + "}";
		}
		if (value instanceof List<?> list) {
			return "[" + String.join(",", list.stream().map(ReplsetScriptTest::toJson).toList()) + "]";
		}
		if (value instanceof String s) {
			return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
		}
		return String.valueOf(value);
	}

}
