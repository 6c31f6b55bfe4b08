package dev.cumsum.transaction.history;

import java.util.ArrayDeque;
import java.util.Queue;

import dev.cumsum.transaction.v1.TransactionServiceGrpc;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.stereotype.Component;

/**
 * Bounds the heap RecordBatch calls take: at most {@code history.batch.max-concurrent}
 * calls read, parse and store their message at once. A call beyond that is not rejected
 * (cumsum-api would retry it into failures under load); its message is simply not read
 * yet, so HTTP/2 flow control keeps all but one window (1 MiB) of it with the sender,
 * until a running call ends or its own deadline passes. The arithmetic behind the
 * defaults is in README ("Message and batch sizes").
 */
@Component
@GlobalServerInterceptor
class RecordBatchAdmission implements ServerInterceptor {

	private static final String RECORD_BATCH = TransactionServiceGrpc.getRecordBatchMethod().getFullMethodName();

	private final int maxConcurrent;

	private final Object lock = new Object();

	/** Guarded by lock. */
	private int running;

	/** Guarded by lock: calls that asked for their message and wait for a slot. */
	private final Queue<Admitted<?, ?>> waiting = new ArrayDeque<>();

	RecordBatchAdmission(BatchProperties properties) {
		this.maxConcurrent = properties.maxConcurrent();
	}

	@Override
	public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
			ServerCallHandler<Q, R> next) {
		if (!RECORD_BATCH.equals(call.getMethodDescriptor().getFullMethodName())) {
			return next.startCall(call, headers);
		}
		Admitted<Q, R> admitted = new Admitted<>(call);
		return new SimpleForwardingServerCallListener<>(next.startCall(admitted, headers)) {

			@Override
			public void onComplete() {
				try {
					super.onComplete();
				}
				finally {
					admitted.end();
				}
			}

			@Override
			public void onCancel() {
				try {
					super.onCancel();
				}
				finally {
					admitted.end();
				}
			}

		};
	}

	/** RecordBatch calls waiting for a slot (a gauge would read this). */
	int waiting() {
		synchronized (this.lock) {
			return this.waiting.size();
		}
	}

	private final class Admitted<Q, R> extends SimpleForwardingServerCall<Q, R> {

		/** Guarded by lock. */
		private int requested;

		/** Guarded by lock. */
		private boolean holdsSlot;

		/** Guarded by lock. */
		private boolean ended;

		Admitted(ServerCall<Q, R> call) {
			super(call);
		}

		@Override
		public void request(int messages) {
			synchronized (RecordBatchAdmission.this.lock) {
				if (this.ended) {
					return;
				}
				if (!this.holdsSlot) {
					boolean queued = this.requested > 0;
					this.requested += messages;
					if (!queued) {
						if (RecordBatchAdmission.this.running >= RecordBatchAdmission.this.maxConcurrent) {
							RecordBatchAdmission.this.waiting.add(this);
							return;
						}
						RecordBatchAdmission.this.running++;
						this.holdsSlot = true;
						messages = this.requested;
					}
					else {
						return;
					}
				}
			}
			super.request(messages);
		}

		void end() {
			Admitted<?, ?> next = null;
			int messages = 0;
			synchronized (RecordBatchAdmission.this.lock) {
				if (this.ended) {
					return;
				}
				this.ended = true;
				if (!this.holdsSlot) {
					RecordBatchAdmission.this.waiting.remove(this);
					return;
				}
				this.holdsSlot = false;
				next = RecordBatchAdmission.this.waiting.poll();
				if (next == null) {
					RecordBatchAdmission.this.running--;
				}
				else {
					// the slot passes on
					next.holdsSlot = true;
					messages = next.requested;
				}
			}
			if (next != null) {
				next.requestAdmitted(messages);
			}
		}

		private void requestAdmitted(int messages) {
			super.request(messages);
		}

	}

}
