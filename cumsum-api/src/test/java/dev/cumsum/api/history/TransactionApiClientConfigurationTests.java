package dev.cumsum.api.history;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.cumsum.transaction.v1.GetRecordRequest;
import dev.cumsum.transaction.v1.Int64List;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import dev.cumsum.transaction.v1.TransactionServiceGrpc.TransactionServiceBlockingStub;
import dev.cumsum.transaction.v1.Values;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusOr;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.ChannelOption;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.grpc.client.autoconfigure.GrpcClientProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The channel to transaction-api as application.yaml configures it (Spring gRPC's channel
 * properties), over real gRPC to two servers that one name resolves to, as a headless
 * Service's name resolves to every transaction-api pod: calls are spread over both (round
 * robin), UNAVAILABLE is retried within a call (three attempts in all), a call waits for
 * a connection during an outage, and a response larger than gRPC's default 4 MiB is
 * taken.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE,
		properties = { "cumsum.delivery.mode=off", "spring.grpc.client.channel.transactions.target="
				+ TransactionApiClientConfigurationTests.SCHEME + ":///both" })
class TransactionApiClientConfigurationTests {

	static final String SCHEME = "two-transaction-apis";

	/** Values of the record {@code large}: about 6 MB. */
	private static final int LARGE_VALUES = 1_000_000;

	/** Attempts to fail with UNAVAILABLE before answering, over both servers. */
	private static final AtomicInteger failuresLeft = new AtomicInteger();

	private static final Backend first = Backend.start();

	private static final Backend second = Backend.start();

	static {
		NameResolverRegistry.getDefaultRegistry().register(new BothBackends());
	}

	@Autowired
	private TransactionServiceBlockingStub stub;

	@Autowired
	private GrpcClientProperties properties;

	@BeforeEach
	void reset() {
		failuresLeft.set(0);
		first.calls.set(0);
		second.calls.set(0);
	}

	@AfterAll
	static void stopBackends() throws InterruptedException {
		first.stop();
		second.stop();
	}

	@Test
	void callsAreSpreadOverEveryAddressOfTheTarget() {
		// a pick-first channel would send every call to one of them
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			get("small");
			return first.calls.get() > 0 && second.calls.get() > 0;
		});
	}

	@Test
	void unavailableIsRetriedWithinTheCallUpToThreeAttempts() {
		failuresLeft.set(2);
		assertThat(get("small").getRequestId()).isEqualTo("small");
		assertThat(attempts()).isEqualTo(3);

		reset();
		failuresLeft.set(3);
		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(() -> get("small"))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
		assertThat(attempts()).as("max-attempts").isEqualTo(3);
	}

	@Test
	void aResponseLargerThanGrpcsDefaultLimitIsTaken() {
		Record large = get("large");
		assertThat(large.getSerializedSize()).isGreaterThan(5 * 1024 * 1024);
		assertThat(large.getInput().getInts().getValuesCount()).isEqualTo(LARGE_VALUES);
	}

	@Test
	void aCallDuringAnOutageWaitsForTheConnectionWithinItsDeadline() throws InterruptedException {
		CompletableFuture<Record> call;
		first.stop();
		second.stop();
		try {
			call = CompletableFuture.supplyAsync(() -> get("waiting"));
			// without wait-for-ready it would fail at once with UNAVAILABLE (three
			// attempts within a second)
			await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> !call.isDone());
		}
		finally {
			first.restart();
			second.restart();
		}
		assertThat(call).succeedsWithin(Duration.ofSeconds(5)).extracting(Record::getRequestId).isEqualTo("waiting");
	}

	@Test
	void theServiceConfigNamesTheGeneratedServiceAndWaitsForReady() {
		Map<String, Object> serviceConfig = new LinkedHashMap<>();
		this.properties.getChannel().get("transactions").getServiceConfig().applyTo(serviceConfig);

		assertThat(serviceConfig).extractingByKey("methodConfig")
			.asInstanceOf(InstanceOfAssertFactories.LIST)
			.singleElement()
			.asInstanceOf(InstanceOfAssertFactories.MAP)
			.containsEntry("name", List.of(Map.of("service", TransactionServiceGrpc.SERVICE_NAME)))
			.containsEntry("waitForReady", true);
	}

	private Record get(String id) {
		return this.stub.withDeadlineAfter(5, TimeUnit.SECONDS)
			.getRecord(GetRecordRequest.newBuilder().setRequestId(id).build());
	}

	private static int attempts() {
		return first.calls.get() + second.calls.get();
	}

	private static Record record(String id) {
		Int64List.Builder values = Int64List.newBuilder();
		int count = "large".equals(id) ? LARGE_VALUES : 1;
		for (int i = 0; i < count; i++) {
			values.addValues(1_000_000_000_000L + i);
		}
		return Record.newBuilder()
			.setRequestId(id)
			.setMode("man")
			.setLength(count)
			.setInput(Values.newBuilder().setInts(values))
			.setPod("test")
			.build();
	}

	/** One transaction-api: answers GetRecord, after the failures asked for. */
	private static final class Backend extends TransactionServiceGrpc.TransactionServiceImplBase {

		private final AtomicInteger calls = new AtomicInteger();

		private Server server;

		private int port;

		static Backend start() {
			Backend backend = new Backend();
			backend.server = backend.listen(0);
			backend.port = backend.server.getPort();
			return backend;
		}

		private Server listen(int port) {
			try {
				return NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
					.withOption(ChannelOption.SO_REUSEADDR, true)
					.addService(this)
					.build()
					.start();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/** Connection refused until {@link #restart}. */
		void stop() throws InterruptedException {
			this.server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
		}

		void restart() {
			this.server = listen(this.port);
		}

		@Override
		public void getRecord(GetRecordRequest request, StreamObserver<Record> response) {
			this.calls.incrementAndGet();
			if (failuresLeft.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) {
				response.onError(Status.UNAVAILABLE.withDescription("test backend fails").asRuntimeException());
				return;
			}
			response.onNext(record(request.getRequestId()));
			response.onCompleted();
		}

		InetSocketAddress address() {
			return new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port);
		}

	}

	/** {@code two-transaction-apis:///both} resolves to both backends. */
	private static final class BothBackends extends NameResolverProvider {

		@Override
		protected boolean isAvailable() {
			return true;
		}

		@Override
		protected int priority() {
			return 5;
		}

		@Override
		public String getDefaultScheme() {
			return SCHEME;
		}

		@Override
		public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
			return List.of(InetSocketAddress.class);
		}

		@Override
		public NameResolver newNameResolver(URI target, NameResolver.Args args) {
			if (!SCHEME.equals(target.getScheme())) {
				return null;
			}
			return new NameResolver() {

				@Override
				public String getServiceAuthority() {
					return "transaction-api";
				}

				@Override
				public void start(Listener2 listener) {
					listener.onResult2(ResolutionResult.newBuilder()
						.setAddressesOrError(StatusOr.fromValue(List.of(new EquivalentAddressGroup(first.address()),
								new EquivalentAddressGroup(second.address()))))
						.build());
				}

				@Override
				public void shutdown() {
				}

			};
		}

	}

}
