package dev.cumsum.transaction.history;

import com.mongodb.MongoBulkWriteException;
import com.mongodb.MongoConnectionPoolClearedException;
import com.mongodb.MongoException;
import com.mongodb.MongoExecutionTimeoutException;
import com.mongodb.MongoSocketException;
import com.mongodb.MongoSocketReadTimeoutException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.MongoWriteConcernException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import org.bson.BsonMaximumSizeExceededException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.grpc.server.exception.GrpcExceptionHandler;
import org.springframework.stereotype.Component;

/**
 * Every failure of the history's gRPC methods becomes a status the client can act on,
 * here and nowhere else: INVALID_ARGUMENT (do not retry), NOT_FOUND, UNAVAILABLE (the
 * store failed or was too slow; safe to retry), INTERNAL for the unexpected. Driver
 * messages name hosts and cluster state: they are logged, never sent.
 */
@Component
class HistoryErrors implements GrpcExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(HistoryErrors.class);

	private static final int WRITE_CONCERN_TIMEOUT = 64;

	@Override
	public StatusException handleException(Throwable exception) {
		return switch (exception) {
			case StatusRuntimeException ex -> ex.getStatus().asException(ex.getTrailers());
			case InvalidRecordException ex -> Status.INVALID_ARGUMENT.withDescription(ex.getMessage()).asException();
			case RecordNotFoundException ex -> Status.NOT_FOUND.withDescription(ex.getMessage()).asException();
			case HistoryStatsCache.StatsNotReadyException ex ->
				Status.UNAVAILABLE.withDescription(ex.getMessage()).asException();
			// permanent: retrying the same batch would fail the same way
			case BsonMaximumSizeExceededException ex ->
				Status.INVALID_ARGUMENT.withDescription("a record exceeds MongoDB's document size limit").asException();
			case MongoException ex -> {
				log.warn("History store failed: {}", ex.toString());
				yield Status.UNAVAILABLE.withDescription(unavailable(ex)).withCause(ex).asException();
			}
			default -> {
				log.error("Unexpected failure", exception);
				yield Status.INTERNAL.withDescription(exception.getClass().getSimpleName()).asException();
			}
		};
	}

	private static String unavailable(MongoException ex) {
		if (ex instanceof MongoExecutionTimeoutException || ex instanceof MongoSocketReadTimeoutException
				|| (ex instanceof MongoWriteConcernException concern
						&& concern.getWriteConcernError().getCode() == WRITE_CONCERN_TIMEOUT)
				|| (ex instanceof MongoBulkWriteException bulk && bulk.getWriteConcernError() != null
						&& bulk.getWriteConcernError().getCode() == WRITE_CONCERN_TIMEOUT)) {
			return "history store unavailable: no answer within the time limit";
		}
		if (ex instanceof MongoTimeoutException || ex instanceof MongoSocketException
				|| ex instanceof MongoConnectionPoolClearedException) {
			return "history store unavailable: not reachable";
		}
		return "history store unavailable";
	}

	/** A request the history cannot take as it is: INVALID_ARGUMENT. */
	static final class InvalidRecordException extends RuntimeException {

		InvalidRecordException(String message) {
			super(message, null, false, false);
		}

	}

	/** No record with the id: NOT_FOUND. */
	static final class RecordNotFoundException extends RuntimeException {

		RecordNotFoundException(String requestId) {
			super("no record with request_id " + requestId, null, false, false);
		}

	}

}
