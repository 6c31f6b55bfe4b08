package dev.cumsum.api.web;

import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyAdvice;

/**
 * The last look at every problem detail before it leaves (controller-local exception
 * handlers included): no hostname, address, or gRPC, Netty or MongoDB driver text reaches
 * a client. Such a detail is cut to the part before it, or replaced by the status's
 * reason; the full text is logged with the request id (the {@code request_id} of the log
 * context). The convention it relies on: downstream text is only ever appended after
 * {@code ": "}, so of a 5xx detail only the part before the first {@code ": "} is kept.
 */
@RestControllerAdvice
class ProblemDetailScrubbing implements ResponseBodyAdvice<Object> {

	private static final Logger log = LoggerFactory.getLogger(ProblemDetailScrubbing.class);

	/**
	 * Addresses (IPv4, bracketed IPv6, host:port), and the marks of gRPC, Netty and
	 * driver text (remote_addr=..., address=..., exception class names, "io exception",
	 * "Mongo...").
	 */
	private static final Pattern INTERNAL = Pattern
		.compile("\\b\\d{1,3}(\\.\\d{1,3}){3}\\b|\\[[0-9a-fA-F:.%]*:[0-9a-fA-F:.%]*\\]"
				+ "|\\b[\\w.-]+:\\d{2,5}\\b|localhost|remote_addr|local_addr|address=|servers=|Exception|\\bio exception\\b"
				+ "|\\bmongo\\w*\\.|Mongo[A-Z]\\w*|\\bgrpc\\b|\\bnetty\\b|\\b(io|com|org|java|jakarta|dev)\\.\\w+\\.",
				Pattern.CASE_INSENSITIVE);

	@Override
	public boolean supports(MethodParameter returnType, Class<? extends HttpMessageConverter<?>> converterType) {
		return true;
	}

	@Override
	public Object beforeBodyWrite(Object body, MethodParameter returnType, MediaType contentType,
			Class<? extends HttpMessageConverter<?>> converterType, ServerHttpRequest request,
			ServerHttpResponse response) {
		if (body instanceof ProblemDetail problem && problem.getDetail() != null) {
			String detail = problem.getDetail();
			String scrubbed = scrub(detail, problem.getStatus());
			if (!scrubbed.equals(detail)) {
				log.warn("Problem detail withheld from the client ({} {}, status {}): {}", request.getMethod(),
						request.getURI().getPath(), problem.getStatus(), detail);
				problem.setDetail(scrubbed);
			}
		}
		return body;
	}

	static String scrub(String detail, int status) {
		String kept = detail;
		int colon = detail.indexOf(": ");
		if (status >= 500 && colon > 0) {
			kept = detail.substring(0, colon);
		}
		if (INTERNAL.matcher(kept).find()) {
			int cut = kept.indexOf(": ");
			kept = (cut > 0 && !INTERNAL.matcher(kept.substring(0, cut)).find()) ? kept.substring(0, cut)
					: reason(status);
		}
		return kept;
	}

	private static String reason(int status) {
		HttpStatus resolved = HttpStatus.resolve(status);
		return (resolved != null) ? resolved.getReasonPhrase() : "error";
	}

}
