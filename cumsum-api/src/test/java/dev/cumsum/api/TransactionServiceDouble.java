package dev.cumsum.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.google.protobuf.Timestamp;
import dev.cumsum.transaction.v1.GetRecordRequest;
import dev.cumsum.transaction.v1.GetStatsRequest;
import dev.cumsum.transaction.v1.ListRecordsRequest;
import dev.cumsum.transaction.v1.ListRecordsResponse;
import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.RecordBatchRequest;
import dev.cumsum.transaction.v1.RecordBatchResponse;
import dev.cumsum.transaction.v1.Stats;
import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.ChannelOption;

/**
 * A test double of transaction-api's {@code TransactionService} on a real Netty gRPC
 * server on a loopback port: RecordBatch stores into a map, idempotent by request id like
 * the real service. It can be told to fail every call with UNAVAILABLE (or any status),
 * to never answer, to answer slowly, to report ids as conflicting (stored for a different
 * request), or be stopped and restarted on the same port. Its failure descriptions carry
 * an address, as real gRPC and MongoDB driver texts do, so that tests can check that none
 * reaches a client.
 */
public final class TransactionServiceDouble implements AutoCloseable {

	public enum Behaviour {

		/** Answers like transaction-api. */
		NORMAL,

		/** Fails every call with UNAVAILABLE. */
		UNAVAILABLE,

		/** Never answers (the client's deadline passes). */
		HANG,

		/** Fails every call with the status given to {@link #failWith}. */
		FAIL

	}

	/**
	 * What a real failure description looks like: an address, as gRPC and the MongoDB
	 * driver write them.
	 */
	public static final String INTERNAL_TEXT = "remote_addr=localhost/127.0.0.1:9090 MongoSocketReadException";

	private final Map<String, Record> records = new ConcurrentHashMap<>();

	private final AtomicInteger recordBatchCalls = new AtomicInteger();

	private final AtomicInteger readCalls = new AtomicInteger();

	private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();

	private final List<StreamObserver<?>> hung = new CopyOnWriteArrayList<>();

	private volatile Behaviour behaviour = Behaviour.NORMAL;

	private volatile Duration delay = Duration.ZERO;

	private volatile Status.Code failure = Status.Code.UNAVAILABLE;

	private final java.util.Set<String> conflicting = ConcurrentHashMap.newKeySet();

	private int port;

	private Server server;

	private TransactionServiceDouble() {
	}

	/** Starts on a free loopback port. */
	public static TransactionServiceDouble start() {
		TransactionServiceDouble service = new TransactionServiceDouble();
		service.server = service.listen(0);
		service.port = service.server.getPort();
		return service;
	}

	private Server listen(int port) {
		try {
			return NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))
				.withOption(ChannelOption.SO_REUSEADDR, true)
				.addService(new Service())
				.build()
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	/** The value for {@code spring.grpc.client.channel.transactions.target}. */
	public String target() {
		return "static://127.0.0.1:" + this.port;
	}

	public void behave(Behaviour behaviour) {
		this.behaviour = behaviour;
	}

	/** Every call fails with this status code (and a description with an address). */
	public void failWith(Status.Code code) {
		this.failure = code;
		this.behaviour = Behaviour.FAIL;
	}

	/**
	 * RecordBatch reports these ids in {@code conflicting_request_ids} and does not store
	 * them, as transaction-api does for an id already stored with a different input
	 * digest.
	 */
	public void conflictOn(String... ids) {
		this.conflicting.addAll(List.of(ids));
	}

	/** Every answer waits this long first (a busy database). */
	public void delay(Duration delay) {
		this.delay = delay;
	}

	/** Stops listening: clients see connection refused. */
	public synchronized void stop() {
		if (this.server != null) {
			this.server.shutdownNow();
			try {
				this.server.awaitTermination(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.server = null;
		}
	}

	/** Listens again on the same port, keeping what was stored. */
	public synchronized void restart() {
		stop();
		this.server = listen(this.port);
	}

	public synchronized void restartIfStopped() {
		if (this.server == null) {
			this.server = listen(this.port);
		}
	}

	@Override
	public void close() {
		stop();
	}

	/** Stored records by request id. */
	public Map<String, Record> records() {
		return this.records;
	}

	public void clear() {
		this.records.clear();
		this.batchSizes.clear();
		this.recordBatchCalls.set(0);
		this.readCalls.set(0);
		this.behaviour = Behaviour.NORMAL;
		this.delay = Duration.ZERO;
		this.conflicting.clear();
	}

	/** RecordBatch calls received (including failed and hung ones). */
	public int recordBatchCalls() {
		return this.recordBatchCalls.get();
	}

	/** Records per answered RecordBatch call. */
	public List<Integer> batchSizes() {
		return List.copyOf(this.batchSizes);
	}

	/** GetRecord, ListRecords and GetStats calls received. */
	public int readCalls() {
		return this.readCalls.get();
	}

	private boolean misbehave(StreamObserver<?> response) {
		if (!this.delay.isZero()) {
			try {
				Thread.sleep(this.delay);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return switch (this.behaviour) {
			case NORMAL -> false;
			case UNAVAILABLE -> {
				response.onError(Status.UNAVAILABLE.withDescription("test double is unavailable: " + INTERNAL_TEXT)
					.asRuntimeException());
				yield true;
			}
			case FAIL -> {
				response.onError(Status.fromCode(this.failure)
					.withDescription("test double fails: " + INTERNAL_TEXT)
					.asRuntimeException());
				yield true;
			}
			case HANG -> {
				this.hung.add(response);
				yield true;
			}
		};
	}

	private final class Service extends TransactionServiceGrpc.TransactionServiceImplBase {

		@Override
		public void recordBatch(RecordBatchRequest request, StreamObserver<RecordBatchResponse> response) {
			recordBatchCalls.incrementAndGet();
			if (misbehave(response)) {
				return;
			}
			int inserted = 0;
			RecordBatchResponse.Builder answer = RecordBatchResponse.newBuilder();
			for (Record record : request.getRecordsList()) {
				if (conflicting.contains(record.getRequestId())) {
					answer.addConflictingRequestIds(record.getRequestId());
					continue;
				}
				inserted += (records.putIfAbsent(record.getRequestId(), record) == null) ? 1 : 0;
			}
			batchSizes.add(request.getRecordsCount());
			response.onNext(answer.setInserted(inserted)
				.setDuplicates(request.getRecordsCount() - inserted - answer.getConflictingRequestIdsCount())
				.build());
			response.onCompleted();
		}

		@Override
		public void getRecord(GetRecordRequest request, StreamObserver<Record> response) {
			readCalls.incrementAndGet();
			if (misbehave(response)) {
				return;
			}
			Record record = records.get(request.getRequestId());
			if (record == null) {
				response.onError(
						Status.NOT_FOUND.withDescription("no record " + request.getRequestId()).asRuntimeException());
				return;
			}
			response.onNext(record);
			response.onCompleted();
		}

		/** Newest first; the page token is the index of the next record in that order. */
		@Override
		public void listRecords(ListRecordsRequest request, StreamObserver<ListRecordsResponse> response) {
			readCalls.incrementAndGet();
			if (misbehave(response)) {
				return;
			}
			if (request.getPageSize() < 1 || request.getPageSize() > 100) {
				response
					.onError(Status.INVALID_ARGUMENT.withDescription("page_size must be 1..100").asRuntimeException());
				return;
			}
			List<Record> newestFirst = new ArrayList<>(records.values());
			newestFirst.sort(Comparator.comparing(Record::getReceivedAt, BY_TIME)
				.thenComparing(Record::getRequestId)
				.reversed());
			int from;
			try {
				from = request.getPageToken().isEmpty() ? 0 : Integer.parseInt(request.getPageToken());
			}
			catch (NumberFormatException ex) {
				response.onError(Status.INVALID_ARGUMENT.withDescription("bad page_token").asRuntimeException());
				return;
			}
			int to = Math.min(newestFirst.size(), from + request.getPageSize());
			ListRecordsResponse.Builder page = ListRecordsResponse.newBuilder();
			for (Record record : newestFirst.subList(Math.min(from, to), to)) {
				page.addRecords(record.toBuilder().clearInput().clearOutput());
			}
			if (to < newestFirst.size()) {
				page.setNextPageToken(Integer.toString(to));
			}
			response.onNext(page.build());
			response.onCompleted();
		}

		@Override
		public void getStats(GetStatsRequest request, StreamObserver<Stats> response) {
			readCalls.incrementAndGet();
			if (misbehave(response)) {
				return;
			}
			Stats.Builder stats = Stats.newBuilder().setCount(records.size());
			records.values().stream().map(Record::getReceivedAt).min(BY_TIME).ifPresent(stats::setFirstReceivedAt);
			records.values().stream().map(Record::getReceivedAt).max(BY_TIME).ifPresent(stats::setLastReceivedAt);
			stats.putAllCountByPod(
					records.values().stream().collect(Collectors.groupingBy(Record::getPod, Collectors.counting())));
			response.onNext(stats.build());
			response.onCompleted();
		}

	}

	private static final Comparator<Timestamp> BY_TIME = Comparator.comparingLong(Timestamp::getSeconds)
		.thenComparingInt(Timestamp::getNanos);

}
