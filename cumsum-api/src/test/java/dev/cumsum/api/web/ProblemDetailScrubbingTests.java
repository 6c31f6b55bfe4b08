package dev.cumsum.api.web;

import java.net.http.HttpResponse;

import dev.cumsum.api.TestHttp;
import dev.cumsum.api.TransactionServiceDouble;
import dev.cumsum.api.TransactionServiceDouble.Behaviour;
import dev.cumsum.api.WithTransactionServiceDouble;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No problem detail carries a hostname, an address or downstream (gRPC, MongoDB driver)
 * text: the transaction-api double fails with descriptions like real ones
 * ({@link TransactionServiceDouble#INTERNAL_TEXT}), and every answer is checked on a real
 * port. Query parameters that are not UTF-8 are 400.
 */
class ProblemDetailScrubbingTests extends WithTransactionServiceDouble {

	@ParameterizedTest
	@ValueSource(strings = { "/api/transactions/some-id", "/api/transactions", "/api/transactions/stats" })
	void aFailingHistoryReadIs503WithoutDownstreamText(String path) {
		transactions.behave(Behaviour.UNAVAILABLE);
		HttpResponse<String> response = authorized(path);

		JsonNode problem = assertClean(response, 503);
		assertThat(problem.get("detail").asString()).isEqualTo("transaction-api unavailable");
	}

	@Test
	void aRejectedHistoryReadKeepsOnlyItsOwnWords() {
		transactions.failWith(Status.Code.INVALID_ARGUMENT);
		JsonNode problem = assertClean(authorized("/api/transactions?after=abc"), 400);
		assertThat(problem.get("detail").asString()).isEqualTo("test double fails");
	}

	@Test
	void strictDeliveryFailuresCarryNoDownstreamText() {
		transactions.failWith(Status.Code.INTERNAL);
		assertClean(TestHttp.postJson(this.port, "/api", "{\"arr\":[1]}"), 503);
		transactions.behave(Behaviour.UNAVAILABLE);
		assertClean(TestHttp.postJson(this.port, "/api", "{\"arr\":[1]}"), 503);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/transactions?after=%FF", "/api/transactions?limit=%FF",
			"/api/transactions?after=%C3%28", "/api/transactions?after=%E2%82", "/api/transactions/stats?x=%FF" })
	void aQueryParameterThatIsNotUtf8Is400(String path) {
		HttpResponse<String> response = TestHttp.get(this.port, path);
		JsonNode problem = assertClean(response, 400);
		assertThat(problem.get("detail").asString()).isEqualTo(QueryParameterFilter.DETAIL);
		assertThat(transactions.readCalls()).isZero();
	}

	@Test
	void postApiReadsNoQueryParameterAndIgnoresOneThatIsNotUtf8() {
		assertThat(TestHttp.postJson(this.port, "/api?x=%FF", "{\"arr\":[1,2]}").statusCode()).isEqualTo(200);
	}

	@Test
	void validPercentEncodingStillWorks() {
		assertThat(authorized("/api/transactions?limit=%32").statusCode()).isEqualTo(200);
		// valid UTF-8 reaches transaction-api, which rejects the cursor itself
		HttpResponse<String> cursor = authorized("/api/transactions?after=%C3%A9");
		assertThat(cursor.statusCode()).isEqualTo(400);
		assertThat(TestHttp.json(cursor).get("detail").asString()).isEqualTo("bad page_token");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "503|transaction-api unavailable: io exception|transaction-api unavailable",
			"503|transaction-api unavailable: UNAVAILABLE: remote_addr=localhost/127.0.0.1:9090|transaction-api unavailable",
			"503|history store unavailable: Timed out after 30000 ms, servers=[{address=mongo-0.mongo:27017}]|history store unavailable",
			"500|com.mongodb.MongoSocketReadException: Prematurely reached end of stream|Internal Server Error",
			"400|no record with request_id a:1 at 10.1.2.3|Bad Request",
			"400|page token rejected: java.lang.IllegalArgumentException|page token rejected",
			"404|no record with request_id abc|no record with request_id abc",
			"400|malformed JSON: Unexpected character ('x' (code 120)): line: 1, column: 9|malformed JSON: Unexpected character ('x' (code 120)): line: 1, column: 9",
			"503|the service is at capacity (256 requests are in flight); retry later|the service is at capacity (256 requests are in flight); retry later" })
	void scrub(int status, String detail, String expected) {
		assertThat(ProblemDetailScrubbing.scrub(detail, status)).isEqualTo(expected);
	}

	private static JsonNode assertClean(HttpResponse<String> response, int status) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
		assertThat(response.headers().firstValue("Content-Type")).contains("application/problem+json");
		assertThat(response.body()).doesNotContain("127.0.0.1", "remote_addr", "localhost", "Mongo", "Exception",
				"io exception");
		return TestHttp.json(response);
	}

	/**
	 * A history read with the credential: these tests are about what a failing read says.
	 */
	private HttpResponse<String> authorized(String path) {
		return TestHttp.get(this.port, path, "Authorization", "Bearer " + HISTORY_TOKEN);
	}

}
