package dev.cumsum.helm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cumsum.helm.Chart.Manifest;
import dev.cumsum.helm.Chart.Rendered;
import dev.cumsum.helm.Chart.Tree;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * MongoDB runs as a replica set (what `w: majority` needs to mean anything), with keyFile
 * auth between members, and transaction-api connects to the set as an application user
 * that can only read and write the application database.
 */
class MongoReplicaSetTest {

	private static final Pattern URI = Pattern.compile(
			"mongodb://\\$\\(MONGO_USERNAME\\):\\$\\(MONGO_PASSWORD\\)@([^/]+)/([A-Za-z0-9_-]+)\\?replicaSet=([A-Za-z0-9_-]+)&authSource=([A-Za-z0-9_-]+)");

	private static Map<String, Object> container(Manifest workload, String name) {
		return Tree.list(workload.body(), "spec.template.spec.containers")
			.stream()
			.filter(c -> name.equals(c.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no container " + name));
	}

	private static Map<String, Object> envEntry(Map<String, Object> container, String name) {
		return Tree.list(container, "env")
			.stream()
			.filter(e -> name.equals(e.get("name")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no env " + name));
	}

	@ParameterizedTest(name = "replicas={0}")
	@ValueSource(ints = { 1, 3 })
	void theUriNamesTheReplicaSetMongodRunsAndEveryMember(int replicas) {
		Rendered rendered = Chart.render(null, Map.of("mongodb.replicas", String.valueOf(replicas)));
		Manifest sts = rendered.get("StatefulSet", "demo-mongodb");
		assertThat(Tree.get(sts.body(), "spec.replicas")).isEqualTo(replicas);
		@SuppressWarnings("unchecked")
		List<String> args = (List<String>) container(sts, "mongodb").get("args");
		int replSet = args.indexOf("--replSet");
		assertThat(replSet).as("mongod args %s", args).isNotNegative();
		String setName = args.get(replSet + 1);
		assertThat(args.get(args.indexOf("--keyFile") + 1)).isEqualTo("/keyfile/keyfile");

		Map<String, Object> tx = container(rendered.get("Deployment", "demo-transaction-api"), "transaction-api");
		Matcher uri = URI.matcher((String) envEntry(tx, "SPRING_MONGODB_URI").get("value"));
		assertThat(uri.matches()).as((String) envEntry(tx, "SPRING_MONGODB_URI").get("value")).isTrue();
		assertThat(uri.group(3)).isEqualTo(setName);
		// every StatefulSet pod by its stable DNS name under the governing (headless)
		// Service
		String service = Tree.string(sts.body(), "spec.serviceName");
		assertThat(Arrays.asList(uri.group(1).split(","))).containsExactlyElementsOf(IntStream.range(0, replicas)
			.mapToObj(i -> "demo-mongodb-" + i + "." + service + ".cumsum.svc.cluster.local:27017")
			.toList());
		Manifest headless = rendered.get("Service", service);
		assertThat(Tree.get(headless.body(), "spec.clusterIP")).isEqualTo("None");
		// members resolve their own and each other's names before they are ready
		// (initiate, rs.add)
		assertThat(Tree.get(headless.body(), "spec.publishNotReadyAddresses")).isEqualTo(true);
		// the sidecar configures exactly the members the URI names
		Map<String, Object> replset = container(sts, "replset");
		assertThat(envEntry(replset, "MONGODB_MEMBERS").get("value")).isEqualTo(uri.group(1));
		assertThat(envEntry(replset, "MONGODB_REPLICA_SET").get("value")).isEqualTo(setName);
	}

	@Test
	void transactionApiUsesTheApplicationUserOfTheDatabaseNotRoot() {
		Rendered rendered = Chart.render(null,
				Map.of("mongodb.database", "history", "mongodb.auth.appUsername", "writer"));
		Map<String, Object> tx = container(rendered.get("Deployment", "demo-transaction-api"), "transaction-api");
		Matcher uri = URI.matcher((String) envEntry(tx, "SPRING_MONGODB_URI").get("value"));
		assertThat(uri.matches()).isTrue();
		// one source for the database: mongodb.database is the URI's path (the app takes
		// it from there)
		assertThat(uri.group(2)).isEqualTo("history");
		assertThat(uri.group(4)).as("the user is defined in the application database").isEqualTo("history");
		assertThat(envEntry(tx, "MONGO_USERNAME").get("value")).isEqualTo("writer");
		assertThat(Tree.string(envEntry(tx, "MONGO_PASSWORD"), "valueFrom.secretKeyRef.key")).isEqualTo("app-password");

		Manifest sts = rendered.get("StatefulSet", "demo-mongodb");
		Map<String, Object> replset = container(sts, "replset");
		assertThat(envEntry(replset, "MONGODB_APP_USERNAME").get("value")).isEqualTo("writer");
		assertThat(envEntry(replset, "MONGODB_DATABASE").get("value")).isEqualTo("history");
		assertThat(Tree.string(envEntry(replset, "MONGODB_APP_PASSWORD"), "valueFrom.secretKeyRef.key"))
			.isEqualTo("app-password");
		assertThat(Tree.string(envEntry(replset, "MONGODB_ROOT_PASSWORD"), "valueFrom.secretKeyRef.key"))
			.isEqualTo("password");
		// root only in MongoDB's own pod: transaction-api never sees its password
		assertThat(Tree.list(tx, "env"))
			.noneSatisfy(e -> assertThat(Tree.string(e, "valueFrom.secretKeyRef.key")).isEqualTo("password"));
		// the role: readWrite on that database, nothing else
		String script = (String) Tree.map(rendered.get("ConfigMap", "demo-mongodb-replset").body(), "data")
			.get("replset.js");
		assertThat(script).contains("const roles = [{ role: 'readWrite', db: database }];")
			.contains("appDb.createUser(")
			.contains("rs.initiate(")
			.contains("rs.add(");
		assertThat(Tree.list(sts.body(), "spec.template.spec.volumes"))
			.anySatisfy(v -> assertThat(Tree.string(v, "configMap.name")).isEqualTo("demo-mongodb-replset"));
	}

	/**
	 * On an empty volume the image's entrypoint runs /docker-entrypoint-initdb.d/*.js
	 * against its temporary mongod, on database MONGO_INITDB_DATABASE. The application
	 * user made there exists before the set is initiated; made only by the sidecar after
	 * the set had a PRIMARY, transaction-api (waiting for a primary since it started)
	 * authenticated first and failed its startup on "rejected the credentials".
	 */
	@Test
	void theApplicationUserIsCreatedOnTheFirstStartBeforeTheSetIsInitiated() {
		Rendered rendered = Chart.render(null,
				Map.of("mongodb.database", "history", "mongodb.auth.appUsername", "writer"));
		Manifest sts = rendered.get("StatefulSet", "demo-mongodb");
		Map<String, Object> mongod = container(sts, "mongodb");
		Map<String, Object> mount = Tree.list(mongod, "volumeMounts")
			.stream()
			.filter(m -> "/docker-entrypoint-initdb.d".equals(m.get("mountPath")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("nothing mounted at /docker-entrypoint-initdb.d"));
		Map<String, Object> volume = Tree.list(sts.body(), "spec.template.spec.volumes")
			.stream()
			.filter(v -> mount.get("name").equals(v.get("name")))
			.findFirst()
			.orElseThrow();
		assertThat(Tree.string(volume, "configMap.name")).isEqualTo("demo-mongodb-replset");
		// only the initdb script: the entrypoint runs every *.js there, and replset.js
		// must not run on the temporary mongod
		Map<String, Object> item = Tree.list(volume, "configMap.items").getFirst();
		assertThat(Tree.list(volume, "configMap.items")).hasSize(1);
		assertThat(item.get("key")).isEqualTo("initdb.js");
		assertThat((String) item.get("path")).endsWith(".js");

		// the database the entrypoint runs the script on, the user and its password from
		// the Secret; all
		// MONGO_INITDB_*, which the entrypoint unsets before it starts mongod
		assertThat(envEntry(mongod, "MONGO_INITDB_DATABASE").get("value")).isEqualTo("history");
		assertThat(envEntry(mongod, "MONGO_INITDB_APP_USERNAME").get("value")).isEqualTo("writer");
		assertThat(Tree.string(envEntry(mongod, "MONGO_INITDB_APP_PASSWORD"), "valueFrom.secretKeyRef.key"))
			.isEqualTo("app-password");

		Map<String, Object> scripts = Tree.map(rendered.get("ConfigMap", "demo-mongodb-replset").body(), "data");
		String initdb = (String) scripts.get("initdb.js");
		assertThat(initdb).contains("db.createUser(")
			.contains("process.env.MONGO_INITDB_APP_USERNAME")
			.contains("process.env.MONGO_INITDB_APP_PASSWORD")
			// the same role as the sidecar gives, on the database the script runs on
			.contains("roles: [{ role: 'readWrite', db: db.getName() }]");
		assertThat((String) scripts.get("replset.js")).contains("const roles = [{ role: 'readWrite', db: database }];");
	}

	@Test
	void readinessMeansADataBearingMemberOfThisSet() {
		Rendered rendered = Chart.render(null, Map.of("mongodb.replicaSetName", "history-rs"));
		Map<String, Object> mongod = container(rendered.get("StatefulSet", "demo-mongodb"), "mongodb");
		@SuppressWarnings("unchecked")
		List<String> command = (List<String>) Tree.get(mongod, "readinessProbe.exec.command");
		String check = command.getLast();
		// the set's name (a standalone mongod during the image's first-start
		// initialisation is not ready),
		// and PRIMARY or SECONDARY: requiring PRIMARY would keep every secondary unready
		// forever
		assertThat(check).contains("h.setName !== 'history-rs'").contains("h.isWritablePrimary || h.secondary");
	}

	@Test
	void theKeyFileIsCopiedOwnerOnlyFromTheSecret() {
		Manifest sts = Chart.renderDefaults().get("StatefulSet", "demo-mongodb");
		Map<String, Object> init = Tree.list(sts.body(), "spec.template.spec.initContainers").getFirst();
		assertThat(Tree.get(init, "command").toString()).contains("chmod 0400 /keyfile/keyfile")
			// init containers may run again on the same emptyDir (Kubernetes docs, "Init
			// Containers"):
			// the owner-only copy left there cannot be opened for writing, so it goes
			// first
			.contains("rm -f /keyfile/keyfile && cp /secret/keyfile /keyfile/keyfile");
		Map<String, Object> secretVolume = Tree.list(sts.body(), "spec.template.spec.volumes")
			.stream()
			.filter(v -> "keyfile-secret".equals(v.get("name")))
			.findFirst()
			.orElseThrow();
		assertThat(Tree.string(secretVolume, "secret.secretName")).isEqualTo("demo-mongodb");
		assertThat(Tree.list(secretVolume, "secret.items")).singleElement()
			.satisfies(i -> assertThat(i.get("key")).isEqualTo("keyfile"));
		assertThat(Tree.list(container(sts, "mongodb"), "volumeMounts"))
			.anySatisfy(m -> assertThat(m).containsEntry("name", "keyfile").containsEntry("mountPath", "/keyfile"));
	}

	@Test
	void moreThanSevenVotingMembersAreRejected() {
		assertThatThrownBy(() -> Chart.render(null, Map.of("mongodb.replicas", "8"))).hasMessageContaining("schema");
		assertThatThrownBy(() -> Chart.render(null, Map.of("mongodb.replicas", "0"))).hasMessageContaining("schema");
	}

}
