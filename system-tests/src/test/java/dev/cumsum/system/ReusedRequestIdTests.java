package dev.cumsum.system;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.cumsum.transaction.v1.Int64List;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.RecordBatchRequest;
import dev.cumsum.transaction.v1.RecordBatchResponse;
import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import dev.cumsum.transaction.v1.Values;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client-chosen X-Request-Id reused for another body is not a retry: both services as
 * processes (strict delivery, embedded store). The stored record stays the first one, and
 * transaction-api reports the reuse over real gRPC; the digest cumsum-api sends is the
 * encoding README documents.
 */
class ReusedRequestIdTests {

	@TempDir
	static Path data;

	static LocalStack stack;

	static ApiClient client;

	@BeforeAll
	static void start() throws Exception {
		stack = LocalStack.embedded(data, "strict");
		client = stack.client;
	}

	@AfterAll
	static void stop() {
		if (stack != null) {
			stack.close();
		}
	}

	@Test
	void theSameIdWithTheSameBodyIsStoredOnceAndAnsweredEachTime() throws Exception {
		for (int i = 0; i < 2; i++) {
			HttpResponse<String> posted = client.post("{\"arr\":[5,6],\"mode\":\"np\"}", "reuse-same-1");
			assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);
			assertThat(ApiClient.json(posted).get("data").toString()).isEqualTo("[5,11]");
		}
		JsonNode stored = ApiClient.json(client.get("/api/transactions/reuse-same-1"));
		assertThat(stored.get("input").toString()).isEqualTo("[5,6]");
	}

	@Test
	void anotherBodyUnderAStoredIdLeavesTheStoredRecordUnchanged() throws Exception {
		HttpResponse<String> first = client.post("{\"arr\":[1,2,3]}", "reuse-other-1");
		assertThat(first.statusCode()).as(first.body()).isEqualTo(200);

		// answered 200 (this branch) or 409 (with cumsum-api's conflict mapping): never
		// stored
		HttpResponse<String> second = client.post("{\"arr\":[40,50],\"mode\":\"np\"}", "reuse-other-1");
		assertThat(second.statusCode()).as(second.body()).isIn(200, 409);

		JsonNode stored = ApiClient.json(client.get("/api/transactions/reuse-other-1"));
		assertThat(stored.get("input").toString()).isEqualTo("[1,2,3]");
		assertThat(stored.get("output").toString()).isEqualTo("[1,3,6]");
		assertThat(stored.get("mode").asString()).isEqualTo("man");
	}

	@Test
	void transactionApiReportsTheReusedIdOverGrpc() throws Exception {
		HttpResponse<String> posted = client.post("{\"arr\":[1,2,3],\"mode\":\"man\"}", "reuse-grpc-1");
		assertThat(posted.statusCode()).as(posted.body()).isEqualTo(200);

		ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", stack.grpcPort).usePlaintext().build();
		try {
			var history = TransactionServiceGrpc.newBlockingStub(channel);
			// the digest README documents for [1,2,3] in mode man: what cumsum-api
			// stored, so a retry
			RecordBatchResponse retry = history.withDeadlineAfter(10, TimeUnit.SECONDS)
				.recordBatch(batch(record("reuse-grpc-1", "man\n1\n2\n3\n", 1, 2, 3)));
			assertThat(retry.getDuplicates()).isEqualTo(1);
			assertThat(retry.getConflictingRequestIdsList()).isEmpty();

			RecordBatchResponse reused = history.withDeadlineAfter(10, TimeUnit.SECONDS)
				.recordBatch(batch(record("reuse-grpc-1", "man\n4\n5\n", 4, 5),
						record("reuse-grpc-2", "man\n4\n5\n", 4, 5)));
			assertThat(reused.getConflictingRequestIdsList()).containsExactly("reuse-grpc-1");
			assertThat(reused.getInserted()).isEqualTo(1);
			assertThat(reused.getDuplicates()).isZero();
		}
		finally {
			channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}
		JsonNode stored = ApiClient.json(client.get("/api/transactions/reuse-grpc-1"));
		assertThat(stored.get("input").toString()).isEqualTo("[1,2,3]");
		assertThat(stored.get("pod").asString()).isEqualTo("system-test");
	}

	/**
	 * Needs cumsum-api's delivery to map conflicting_request_ids to 409 (strict mode),
	 * which is on another branch; on this one the second POST answers 200 (and stores
	 * nothing).
	 */
	@Test
	void strictModeAnswers409ForAReusedIdWithAnotherBody() throws Exception {
		assertThat(client.post("{\"arr\":[7]}", "reuse-409-1").statusCode()).isEqualTo(200);

		HttpResponse<String> reused = client.post("{\"arr\":[8]}", "reuse-409-1");

		assertThat(reused.statusCode()).as(reused.body()).isEqualTo(409);
		assertThat(reused.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(ApiClient.json(reused).get("status").asInt()).isEqualTo(409);
		assertThat(ApiClient.json(client.get("/api/transactions/reuse-409-1")).get("input").toString())
			.isEqualTo("[7]");
		// a retry of the first body is still fine
		assertThat(client.post("{\"arr\":[7]}", "reuse-409-1").statusCode()).isEqualTo(200);
	}

	private static RecordBatchRequest batch(Record... records) {
		return RecordBatchRequest.newBuilder().addAllRecords(java.util.List.of(records)).build();
	}

	private static Record record(String id, String digestInput, long... input) throws Exception {
		Instant now = Instant.now();
		Int64List.Builder values = Int64List.newBuilder();
		for (long value : input) {
			values.addValues(value);
		}
		return Record.newBuilder()
			.setRequestId(id)
			.setReceivedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
			.setMode("man")
			.setInput(Values.newBuilder().setInts(values))
			.setOutput(Values.newBuilder().setInts(values))
			.setLength(input.length)
			.setPod("grpc-client")
			.setInputDigest(ByteString
				.copyFrom(MessageDigest.getInstance("SHA-256").digest(digestInput.getBytes(StandardCharsets.UTF_8))))
			.build();
	}

}
