package dev.cumsum.api.cumsum;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Fails as soon as more than {@code limit} bytes were read, so an endless body is never
 * buffered, and reserves the admission cost of the bytes as they arrive beyond what was
 * reserved up front (a chunked body has no Content-Length to reserve by).
 */
final class LimitedInputStream extends FilterInputStream {

	/** Bytes reserved at a time while reading beyond the prepaid length. */
	static final long STEP = 16 * 1024;

	private final long limit;

	private final Admission.Ticket ticket;

	private long paid;

	private long read;

	LimitedInputStream(InputStream in, long limit, Admission.Ticket ticket, long prepaid) {
		super(in);
		this.limit = limit;
		this.ticket = ticket;
		this.paid = prepaid;
	}

	@Override
	public int read() throws IOException {
		int b = super.read();
		if (b >= 0) {
			count(1);
		}
		return b;
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		int n = super.read(buffer, offset, length);
		if (n > 0) {
			count(n);
		}
		return n;
	}

	/** Bytes read so far. */
	long count() {
		return this.read;
	}

	private void count(int n) {
		this.read += n;
		if (this.read > this.limit) {
			throw RequestRejectedException.tooLarge("request body is larger than " + this.limit + " bytes");
		}
		while (this.read > this.paid) {
			this.ticket.reserve(RequestCost.body(STEP));
			this.paid += STEP;
		}
	}

}
