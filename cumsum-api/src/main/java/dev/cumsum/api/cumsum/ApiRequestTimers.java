package dev.cumsum.api.cumsum;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;

import jakarta.servlet.http.HttpServletRequest;

import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.http.Outcome;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.observation.ServerHttpObservationDocumentation.LowCardinalityKeyNames;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerMapping;

/**
 * The {@code http.server.requests} timer of a {@code POST /api} that Spring's observation
 * skipped ({@link ApiObservationPredicate}): the same meters, names and tags that
 * Spring's observation (with {@code ApiUriObservationConvention} and Micrometer's
 * {@code DefaultMeterObservationHandler}) records, so Prometheus scrapes one series set
 * whichever of the two timed a request. A timer is registered on its first use (as the
 * observation does, so no series appears that did not before) and then found by status
 * without building tags; the histogram settings
 * ({@code management.metrics.distribution.*.http.server.requests}) apply at registration.
 * Also the in-flight {@code http.server.requests.active} long task timer, whose tags are
 * the ones the observation had when it started (uri not known yet).
 */
@Component
class ApiRequestTimers {

	private static final String NAME = "http.server.requests";

	private static final String NONE = "none";

	private static final String API_URI = CumSumController.PATH;

	private final MeterRegistry registry;

	/** uri {@code /api}, no exception: by status code. */
	private final AtomicReferenceArray<@Nullable Timer> byStatus = new AtomicReferenceArray<>(600);

	/** Everything else (no handler matched, an exception), rare. */
	private final ConcurrentMap<Key, Timer> others = new ConcurrentHashMap<>();

	private final LongTaskTimer active;

	ApiRequestTimers(MeterRegistry registry) {
		this.registry = registry;
		this.active = LongTaskTimer.builder(NAME + ".active")
			.tags(Tags.of(LowCardinalityKeyNames.EXCEPTION.asString(), NONE, LowCardinalityKeyNames.METHOD.asString(),
					"POST", LowCardinalityKeyNames.OUTCOME.asString(), "SUCCESS",
					LowCardinalityKeyNames.STATUS.asString(), "200", LowCardinalityKeyNames.URI.asString(), "UNKNOWN"))
			.register(registry);
	}

	/** Starts the in-flight sample of one request. */
	LongTaskTimer.Sample start() {
		return this.active.start();
	}

	/**
	 * @param error the exception the request ended with, null when it ended normally
	 * (including errors that were answered as problems)
	 */
	void record(HttpServletRequest request, int status, @Nullable Throwable error, long nanos) {
		timer(request, status, error).record(nanos, TimeUnit.NANOSECONDS);
	}

	private Timer timer(HttpServletRequest request, int status, @Nullable Throwable error) {
		String uri = uri(request, status);
		if (error == null && API_URI.equals(uri) && status >= 0 && status < 600) {
			Timer timer = this.byStatus.get(status);
			if (timer == null) {
				timer = register(new Key(uri, status, NONE));
				this.byStatus.set(status, timer);
			}
			return timer;
		}
		String exception = (error != null) ? exceptionName(error) : NONE;
		return this.others.computeIfAbsent(new Key(uri, status, exception), this::register);
	}

	/**
	 * As Spring's DefaultServerRequestObservationConvention and
	 * ApiUriObservationConvention (a request {@link ApiRequestFilter} answered itself has
	 * no matched pattern: it was served on the route {@code /api}).
	 */
	private static String uri(HttpServletRequest request, int status) {
		if (request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE) instanceof String pattern) {
			if (pattern.isEmpty()) {
				return "root";
			}
			return CumSumController.PATH_SLASH.equals(pattern) ? API_URI : pattern;
		}
		ApiCall call = ApiCall.find(request);
		if (call != null && call.wasServed()) {
			// answered by ApiRequestFilter on the route Spring MVC would have matched
			return API_URI;
		}
		if (status >= 300 && status < 400) {
			return "REDIRECTION";
		}
		return (status == 404) ? "NOT_FOUND" : "UNKNOWN";
	}

	private static String exceptionName(Throwable error) {
		String simpleName = error.getClass().getSimpleName();
		return simpleName.isEmpty() ? error.getClass().getName() : simpleName;
	}

	private Timer register(Key key) {
		return Timer.builder(NAME)
			.tags(Tags.of(LowCardinalityKeyNames.METHOD.asString(), "POST", LowCardinalityKeyNames.URI.asString(),
					key.uri, LowCardinalityKeyNames.STATUS.asString(), Integer.toString(key.status),
					LowCardinalityKeyNames.OUTCOME.asString(), Outcome.forStatus(key.status).name(),
					LowCardinalityKeyNames.EXCEPTION.asString(), key.exception, "error", key.exception))
			.register(this.registry);
	}

	private record Key(String uri, int status, String exception) {
	}

}
