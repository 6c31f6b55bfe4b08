package dev.cumsum.api.cumsum;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;

/**
 * What is left of a request body after an error answer ({@code POST /api} refused by
 * admission control before its body was read, or rejected while reading it): the answer
 * is sent first, then at most the body limit is read and discarded, so the connection
 * stays usable for the client's next request.
 * <p>
 * Jetty itself only discards what has already arrived (a few non-blocking reads) and
 * otherwise marks the connection non-persistent: it shuts the output down after the
 * answer and closes the socket when more of the body arrives, and a close with unread
 * bytes is a TCP reset, which can make the client lose the answer it was sent (RFC 9112,
 * 9.6). Up to twice the body limit is discarded, so that a client sending a body just
 * over the limit reads its 413 instead of a reset (Tomcat swallows 2 MB by default for
 * the same reason). A body declared larger than that is not read at all (its answer goes
 * out with {@code Connection: close}, as does the answer to a body that turns out larger
 * while it is discarded), nor is one the client holds back until {@code 100 Continue}, so
 * no client can make the server read more than twice the limit.
 */
final class UnreadBody {

	private static final int BUFFER = 8 * 1024;

	private UnreadBody() {
	}

	/**
	 * Sends the answer, then reads and discards the rest of the body up to twice
	 * {@code maxBodyBytes}; gives up quietly when the client is gone.
	 */
	static void discard(HttpServletRequest request, HttpServletResponse response, long maxBodyBytes) {
		long maxBytes = 2 * maxBodyBytes;
		long declared = request.getContentLengthLong();
		if (declared > maxBytes || declared == 0 || request.getHeader(HttpHeaders.EXPECT) != null) {
			return;
		}
		try {
			response.flushBuffer();
			InputStream body = request.getInputStream();
			byte[] buffer = new byte[BUFFER];
			long discarded = 0;
			int n;
			while (discarded <= maxBytes && (n = body.read(buffer)) >= 0) {
				discarded += n;
			}
		}
		catch (IOException | IllegalStateException ex) {
			// the client went away, or the body was taken as a reader: nothing to keep
			// open
		}
	}

}
