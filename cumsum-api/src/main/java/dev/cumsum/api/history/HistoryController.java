package dev.cumsum.api.history;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.cumsum.transaction.v1.GetRecordRequest;
import dev.cumsum.transaction.v1.GetStatsRequest;
import dev.cumsum.transaction.v1.ListRecordsRequest;
import dev.cumsum.transaction.v1.ListRecordsResponse;
import dev.cumsum.transaction.v1.Stats;
import dev.cumsum.transaction.v1.TransactionServiceGrpc.TransactionServiceBlockingStub;
import io.grpc.StatusRuntimeException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Read access to the history through the public service (the ingress exposes only
 * cumsum-api). transaction-api's gRPC statuses become HTTP problems: NOT_FOUND 404,
 * INVALID_ARGUMENT 400, UNAVAILABLE or a passed deadline 503 with Retry-After.
 */
@RestController
@RequestMapping("/api/transactions")
class HistoryController {

	static final int MAX_LIMIT = 100;

	private final TransactionServiceBlockingStub transactions;

	private final Duration timeout;

	private final String retryAfterSeconds;

	HistoryController(TransactionServiceBlockingStub transactions, HistoryReadProperties properties) {
		this.transactions = transactions;
		this.timeout = properties.readTimeout();
		this.retryAfterSeconds = Long.toString(Math.max(1, properties.retryAfter().toSeconds()));
	}

	private TransactionServiceBlockingStub call() {
		return this.transactions.withDeadlineAfter(this.timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	@GetMapping("/{id}")
	RecordView get(@PathVariable String id) {
		return RecordView.of(call().getRecord(GetRecordRequest.newBuilder().setRequestId(id).build()), true);
	}

	@GetMapping
	ResponseEntity<?> list(@RequestParam(defaultValue = "20") int limit,
			@RequestParam(defaultValue = "") String after) {
		if (limit < 1 || limit > MAX_LIMIT) {
			return ResponseEntity.badRequest()
				.body(problem(HttpStatus.BAD_REQUEST, "limit must be between 1 and " + MAX_LIMIT));
		}
		ListRecordsResponse page = call()
			.listRecords(ListRecordsRequest.newBuilder().setPageSize(limit).setPageToken(after).build());
		return ResponseEntity
			.ok(new RecordPage(page.getRecordsList().stream().map((record) -> RecordView.of(record, false)).toList(),
					page.getNextPageToken().isEmpty() ? null : page.getNextPageToken()));
	}

	@GetMapping("/stats")
	HistoryStats stats() {
		Stats stats = call().getStats(GetStatsRequest.getDefaultInstance());
		return new HistoryStats(stats.getCount(),
				stats.hasFirstReceivedAt() ? RecordView.instant(stats.getFirstReceivedAt()) : null,
				stats.hasLastReceivedAt() ? RecordView.instant(stats.getLastReceivedAt()) : null,
				stats.getCountByPodMap());
	}

	@ExceptionHandler(StatusRuntimeException.class)
	ResponseEntity<ProblemDetail> grpcFailure(StatusRuntimeException ex) {
		String description = (ex.getStatus().getDescription() != null) ? ex.getStatus().getDescription()
				: ex.getStatus().getCode().name();
		return switch (ex.getStatus().getCode()) {
			case NOT_FOUND ->
				ResponseEntity.status(HttpStatus.NOT_FOUND).body(problem(HttpStatus.NOT_FOUND, description));
			case INVALID_ARGUMENT -> ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, description));
			default -> ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.header(HttpHeaders.RETRY_AFTER, this.retryAfterSeconds)
				.body(problem(HttpStatus.SERVICE_UNAVAILABLE, "transaction-api unavailable: " + description));
		};
	}

	private static ProblemDetail problem(HttpStatus status, String detail) {
		return ProblemDetail.forStatusAndDetail(status, detail);
	}

}
