package dev.cumsum.api.history;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;

/**
 * gRPC backs off reconnecting for up to two minutes after failed connects, so a
 * transaction-api that restarted in seconds would stay unreachable long after. While the
 * channel is in TRANSIENT_FAILURE, this resets the backoff every interval: reconnects
 * within a second of the server coming back.
 */
final class FastReconnect {

	private final ManagedChannel channel;

	private final ScheduledExecutorService timer;

	private final Duration interval;

	private FastReconnect(ManagedChannel channel, ScheduledExecutorService timer, Duration interval) {
		this.channel = channel;
		this.timer = timer;
		this.interval = interval;
	}

	static void watch(ManagedChannel channel, ScheduledExecutorService timer, Duration interval) {
		new FastReconnect(channel, timer, interval).watch();
	}

	private void watch() {
		if (this.channel.isShutdown() || this.timer.isShutdown()) {
			return;
		}
		ConnectivityState state = this.channel.getState(false);
		if (state == ConnectivityState.TRANSIENT_FAILURE) {
			this.timer.schedule(() -> {
				this.channel.resetConnectBackoff();
				watch();
			}, this.interval.toMillis(), TimeUnit.MILLISECONDS);
		}
		else {
			this.channel.notifyWhenStateChanged(state, this::watch);
		}
	}

}
