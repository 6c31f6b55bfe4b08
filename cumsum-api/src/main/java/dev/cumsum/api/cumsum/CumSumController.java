package dev.cumsum.api.cumsum;

import java.io.IOException;
import java.time.Instant;

import dev.cumsum.api.delivery.Delivery;
import dev.cumsum.transaction.v1.Record;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api}: the cumulative sum, recorded in the history before (strict) or after
 * (async) answering. {@link ApiRequestFilter} calls {@link #answer} directly for the
 * requests this mapping matches; Spring MVC's route here serves the rest and maps every
 * failure to its problem answer.
 */
@RestController
class CumSumController {

	/** The mapping's paths (also the filter's and the lean observation's). */
	static final String PATH = "/api";

	static final String PATH_SLASH = "/api/";

	private static final Logger log = LoggerFactory.getLogger(CumSumController.class);

	private final CumSumRequestReader reader;

	private final Admission admission;

	private final Delivery delivery;

	private final ObjectProvider<Tracer> tracer;

	private final String pod;

	CumSumController(CumSumRequestReader reader, Admission admission, Delivery delivery, ObjectProvider<Tracer> tracer,
			@Value("${cumsum.pod-name}") String pod) {
		this.reader = reader;
		this.admission = admission;
		this.delivery = delivery;
		this.tracer = tracer;
		this.pod = pod;
	}

	/**
	 * Spring MVC's route to {@link #answer}: taken only by what {@link ApiRequestFilter}
	 * does not serve itself, and by the failures it hands back here
	 * ({@link ApiCall#failed}) so that every error answer is mapped by Spring MVC's
	 * exception handling, as before.
	 */
	@PostMapping(path = { PATH, PATH_SLASH }, consumes = MediaType.APPLICATION_JSON_VALUE)
	ResponseEntity<byte[]> cumsum(HttpServletRequest request) throws IOException {
		ApiCall call = ApiCall.of(request);
		call.rethrowFailure();
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer(request, call));
	}

	/**
	 * The 200 body of a {@code POST /api} that Spring MVC would route here (either route:
	 * this controller, or {@link ApiRequestFilter} directly).
	 * @throws RequestRejectedException and the delivery's exceptions, answered as
	 * problems by Spring MVC's exception handling
	 */
	byte[] answer(HttpServletRequest request, ApiCall call) throws IOException {
		Instant receivedAt = Instant.now();
		String requestId = call.requestId();
		if (requestId == null) {
			throw RequestRejectedException
				.invalid(RequestIds.HEADER + " must be 1 to 128 characters of A-Z a-z 0-9 . _ : -");
		}
		// released by ApiRequestFilter once the answer is written
		Admission.Ticket ticket = this.admission.admit(call);
		CumSumRequest body = this.reader.read(request.getInputStream(), request.getContentLengthLong(), ticket);
		call.mode(body.mode());

		long start = System.nanoTime();
		NumberArray sums = CumSum.compute(body.mode(), body.values());
		long execNs = System.nanoTime() - start;

		if (this.delivery.enabled()) {
			Record record = HistoryRecords.of(requestId, receivedAt, body.mode(), body.values(), sums, execNs, this.pod,
					traceId(call));
			this.delivery.deliver(record);
		}
		// ids and sizes only: request bodies are never logged
		log.debug("POST /api served: request_id={} mode={} length={} exec_ns={}", requestId, body.mode().label(),
				body.values().length(), execNs);
		return CumSumResponseWriter.write(sums, execNs, receivedAt.getEpochSecond(), requestId);
	}

	private String traceId(ApiCall call) {
		if (call.traceId() != null) {
			// untraced (ApiObservationPredicate): the id its log lines carry
			return call.traceId();
		}
		Tracer tracer = this.tracer.getIfAvailable();
		Span span = (tracer != null) ? tracer.currentSpan() : null;
		return (span != null) ? span.context().traceId() : "";
	}

	/** Whether a request URI, as sent, is one of the mapping's paths. */
	static boolean isPath(String requestUri) {
		return PATH.equals(requestUri) || PATH_SLASH.equals(requestUri);
	}

}
