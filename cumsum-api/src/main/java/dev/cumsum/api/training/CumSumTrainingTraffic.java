package dev.cumsum.api.training;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.cumsum.api.cumsum.Mode;
import dev.cumsum.support.training.TrainingTraffic;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Training traffic for the image's JDK AOT cache: {@code POST /api} over HTTP on the
 * service's own port, a mix of what the endpoint sees (every mode, short and long arrays,
 * decimals, the overflow fallback, a rejected body), each answer checked.
 */
@Component
class CumSumTrainingTraffic implements TrainingTraffic {

	private static final int CONNECTIONS = 8;

	private static final int MAX_RETRIES = 5;

	private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

	private static final String LONG_ARRAY = IntStream.rangeClosed(1, 1000)
		.mapToObj(Integer::toString)
		.collect(Collectors.joining(","));

	/**
	 * Every mode with short, decimal and overflowing arrays, a long array and a rejected
	 * body.
	 */
	static final List<Call> CALLS = Stream.concat(Arrays.stream(Mode.values()).flatMap(CumSumTrainingTraffic::callsFor),
			Stream.of(new Call("{\"arr\":[" + LONG_ARRAY + "]}", 200, "500500]"),
					new Call("{\"arr\":[1,\"two\"]}", 400, "\"status\":400")))
		.toList();

	private static Stream<Call> callsFor(Mode mode) {
		String field = ",\"mode\":\"" + mode.label() + "\"}";
		return Stream.of(new Call("{\"arr\":[1,2,3]" + field, 200, "[1,3,6]"),
				new Call("{\"arr\":[1,2,3,4,5,6,7,8,9,10]" + field, 200, "55]"),
				new Call("{\"arr\":[0.5,1.25,-2]" + field, 200, "[0.5,1.75,-0.25]"),
				new Call("{\"arr\":[9223372036854775807,1]" + field, 200, "9223372036854775808]"));
	}

	private final Environment environment;

	CumSumTrainingTraffic(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void send(int requests) throws Exception {
		URI uri = URI.create("http://127.0.0.1:" + this.environment.getRequiredProperty("local.server.port") + "/api");
		try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
				ExecutorService connections = Executors.newVirtualThreadPerTaskExecutor()) {
			List<Future<?>> sent = new ArrayList<>();
			for (int c = 0; c < CONNECTIONS; c++) {
				int first = c;
				sent.add(connections.submit(() -> {
					for (int i = first; i < requests; i += CONNECTIONS) {
						call(client, uri, CALLS.get(i % CALLS.size()));
					}
					return null;
				}));
			}
			for (Future<?> connection : sent) {
				connection.get();
			}
		}
	}

	/**
	 * One call, retried with the same request id (stored at most once) while the answer
	 * is a 503: right after startup the history may not acknowledge the first records in
	 * time, which is the service working as documented, not a wrong answer.
	 */
	private static void call(HttpClient client, URI uri, Call call) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(uri)
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.header("X-Request-Id", "training-" + UUID.randomUUID())
			.POST(HttpRequest.BodyPublishers.ofString(call.body()))
			.build();
		HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
		for (int retry = 1; response.statusCode() == 503 && call.status() != 503 && retry <= MAX_RETRIES; retry++) {
			Thread.sleep(RETRY_PAUSE.multipliedBy(retry));
			response = client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		if (response.statusCode() != call.status() || !response.body().contains(call.answerContains())) {
			throw new IllegalStateException("POST /api " + call.body() + " answered " + response.statusCode() + " "
					+ response.body() + ", expected " + call.status() + " with " + call.answerContains());
		}
	}

	private record Call(String body, int status, String answerContains) {
	}

}
