package dev.cumsum.system;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import dev.cumsum.system.OtlpReceiver.ReceivedSpan;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * One Spring AOT build (process-aot: bean definitions generated with application.yaml's
 * defaults) serves every mode a user chooses at run time: the packaged jars started with
 * {@code -Dspring.aot.enabled=true}, as the images start them, in each delivery mode,
 * with trace export on and off, and transaction-api on its embedded store and on a
 * MongoDB named by URI; and without the flag, as before.
 */
class SpringAotTests {

	private static final Duration READY = Duration.ofSeconds(120);

	private static final HttpClient HTTP = HttpClient.newHttpClient();

	@TempDir
	Path data;

	@Test
	void oneAotBuildServesEveryDeliveryModeAndTraceExport() throws Exception {
		int grpc = ServiceProcess.freePort();
		int strictPort = ServiceProcess.freePort();
		int asyncPort = ServiceProcess.freePort();
		int offPort = ServiceProcess.freePort();
		try (OtlpReceiver otlp = new OtlpReceiver();
				ServiceProcess transactions = ServiceProcess.transactionApi(ServiceProcess.AOT_JVM, grpc,
						ServiceProcess.freePort(), null, this.data,
						"--management.opentelemetry.tracing.export.otlp.endpoint=" + otlp.endpoint());
				ServiceProcess strict = ServiceProcess.cumsumApi(ServiceProcess.AOT_JVM, strictPort,
						ServiceProcess.freePort(), grpc, "strict",
						"--management.opentelemetry.tracing.export.otlp.endpoint=" + otlp.endpoint());
				// an endpoint, but export switched off: the same exporter bean decides
				ServiceProcess async = ServiceProcess.cumsumApi(ServiceProcess.AOT_JVM, asyncPort,
						ServiceProcess.freePort(), grpc, "async",
						"--management.opentelemetry.tracing.export.otlp.endpoint=" + otlp.endpoint(),
						"--management.tracing.export.enabled=false");
				ServiceProcess off = ServiceProcess.cumsumApi(ServiceProcess.AOT_JVM, offPort,
						ServiceProcess.freePort(), grpc, "off")) {
			transactions.start().awaitReady(READY);
			strict.start();
			async.start();
			off.start();
			strict.awaitReady(READY);
			async.awaitReady(READY);
			off.awaitReady(READY);
			for (ServiceProcess process : List.of(transactions, strict, async, off)) {
				assertThat(process.output()).as("started from the AOT-generated code")
					.contains("Starting AOT-processed");
			}

			// async first: its span, were it exported, would be sent before strict's
			ApiClient asyncClient = new ApiClient(asyncPort);
			assertThat(asyncClient.post("{\"arr\":[4,5]}", "aot-async-1").statusCode()).isEqualTo(200);
			// strict: 200 once stored; the first write into a cold transaction-api on a
			// busy
			// machine may outlast the 3 s delivery timeout (503), so it is retried with
			// the
			// same request id (stored once)
			ApiClient strictClient = new ApiClient(strictPort);
			await().atMost(Duration.ofSeconds(60))
				.until(() -> strictClient.post("{\"arr\":[1,2,3]}", "aot-strict-1").statusCode() == 200);
			ApiClient offClient = new ApiClient(offPort);
			assertThat(offClient.post("{\"arr\":[7]}", "aot-off-1").statusCode()).isEqualTo(200);

			// strict: stored before the answer; async: stored soon after; off: never sent
			assertThat(strictClient.get("/api/transactions/aot-strict-1").statusCode()).isEqualTo(200);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> strictClient.get("/api/transactions/aot-async-1").statusCode() == 200);
			assertThat(offClient.get("/api/transactions/aot-strict-1").statusCode()).as("off still reads the history")
				.isEqualTo(200);
			assertThat(offClient.get("/api/transactions/aot-off-1").statusCode()).as("off records nothing")
				.isEqualTo(404);
			assertThat(prometheus(strict)).contains("cumsum_delivery_records_total");
			assertThat(prometheus(async)).contains("cumsum_delivery_buffer_capacity");
			assertThat(prometheus(off)).as("no batcher in off mode").doesNotContain("cumsum_delivery_");

			// trace export: on in strict (and transaction-api), off in async
			ReceivedSpan http = await().atMost(Duration.ofSeconds(45))
				.until(() -> otlp.spans()
					.stream()
					.filter((s) -> "aot-strict-1".equals(s.attribute("cumsum.request_id")))
					.findFirst()
					.orElse(null), (span) -> span != null);
			await().atMost(Duration.ofSeconds(45))
				.until(() -> otlp.spans()
					.stream()
					.anyMatch((s) -> s.service().equals("transaction-api")
							&& s.span().getTraceId().equals(http.span().getTraceId())));
			assertThat(otlp.spans()).as("nothing exported by the API with export disabled")
				.noneMatch((s) -> "aot-async-1".equals(s.attribute("cumsum.request_id")));
		}
	}

	@Test
	void transactionApiUsesTheMongoDbOfItsUriWithAndWithoutAot() throws Exception {
		MongoServer mongo = new MongoServer(new MemoryBackend());
		String uri = "mongodb://127.0.0.1:" + mongo.bind().getPort() + "/aotdb";
		try (MongoClient client = MongoClients.create(uri)) {
			for (List<String> jvm : List.of(ServiceProcess.AOT_JVM, ServiceProcess.DEFAULT_JVM)) {
				boolean aot = jvm == ServiceProcess.AOT_JVM;
				String id = aot ? "aot-external-1" : "plain-external-1";
				int grpc = ServiceProcess.freePort();
				int port = ServiceProcess.freePort();
				try (ServiceProcess transactions = ServiceProcess.transactionApi(jvm, grpc, ServiceProcess.freePort(),
						uri, this.data);
						ServiceProcess api = ServiceProcess.cumsumApi(jvm, port, ServiceProcess.freePort(), grpc,
								"strict")) {
					transactions.start();
					api.start();
					transactions.awaitReady(READY);
					api.awaitReady(READY);
					assertThat(transactions.output().contains("Starting AOT-processed")).isEqualTo(aot);

					assertThat(new ApiClient(port).post("{\"arr\":[1,2]}", id).statusCode()).isEqualTo(200);
					assertThat(storedIn(client.getDatabase("aotdb"), id)).as("in the MongoDB of the URI").isTrue();
					assertThat(transactions.output()).as("no embedded store").doesNotContain("Embedded MongoDB");
				}
			}
		}
		finally {
			mongo.shutdownNow();
		}
	}

	@Test
	void anAotStartWithAChoiceTheBuildFixedFailsNamingIt() throws Exception {
		int port = ServiceProcess.freePort();
		// the management port equal to the server port: the build has a separate one
		try (ServiceProcess api = ServiceProcess.cumsumApi(ServiceProcess.AOT_JVM, port, port,
				ServiceProcess.freePort(), "off")) {
			api.start();
			assertThatIllegalStateException().isThrownBy(() -> api.awaitReady(READY)).withMessageContaining("exited");
			assertThat(api.output()).contains("fixed these settings at build time")
				.contains("built with 'DIFFERENT', now 'SAME'");
		}
	}

	private static boolean storedIn(MongoDatabase database, String requestId) {
		for (String collection : database.listCollectionNames()) {
			for (Document document : database.getCollection(collection).find()) {
				if (document.toJson().contains(requestId)) {
					return true;
				}
			}
		}
		return false;
	}

	private static String prometheus(ServiceProcess process) throws IOException, InterruptedException {
		return HTTP
			.send(HttpRequest.newBuilder(process.managementUri("/actuator/prometheus")).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
	}

}
