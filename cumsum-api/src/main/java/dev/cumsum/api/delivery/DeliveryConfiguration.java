package dev.cumsum.api.delivery;

import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.TransactionServiceGrpc.TransactionServiceFutureStub;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.Assert;

/**
 * The delivery mode ({@code cumsum.delivery.mode}) is chosen when the beans are created,
 * not by conditions: a Spring AOT build (process-aot) evaluates conditions once, at build
 * time, and one build serves every mode. The {@link RecordBatcher} of strict and async is
 * made by {@link #deliveryBatching} only in those modes, so with {@code off} there is
 * none (no threads, no metrics, no calls). It is not a bean of its own: a SmartLifecycle
 * bean is created at startup even when lazy, so {@link Batching} is the lifecycle bean
 * and starts and stops the batcher when there is one.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryConfiguration {

	@Bean
	Delivery delivery(DeliveryProperties properties, Batching deliveryBatching) {
		return switch (properties.mode()) {
			case STRICT -> new StrictDelivery(deliveryBatching.batcher(), properties);
			case ASYNC -> new AsyncDelivery(deliveryBatching.batcher(), properties);
			case OFF -> new Delivery() {

				@Override
				public boolean enabled() {
					return false;
				}

				@Override
				public void deliver(Record record) {
				}

			};
		};
	}

	@Bean
	Batching deliveryBatching(DeliveryProperties properties, ObjectProvider<TransactionServiceFutureStub> stub,
			MeterRegistry registry, ObjectProvider<Tracer> tracer) {
		if (properties.mode() == DeliveryMode.OFF) {
			return new Batching(null);
		}
		return new Batching(
				new RecordBatcher(stub.getObject(), properties, registry, tracer.getIfAvailable(() -> Tracer.NOOP)));
	}

	/** The batcher of strict and async (none with off), started and stopped as a bean. */
	static final class Batching implements SmartLifecycle {

		private final @Nullable RecordBatcher batcher;

		Batching(@Nullable RecordBatcher batcher) {
			this.batcher = batcher;
		}

		RecordBatcher batcher() {
			Assert.state(this.batcher != null, "no batcher in off mode");
			return this.batcher;
		}

		@Override
		public void start() {
			if (this.batcher != null) {
				this.batcher.start();
			}
		}

		@Override
		public void stop() {
			if (this.batcher != null) {
				this.batcher.stop();
			}
		}

		@Override
		public boolean isRunning() {
			return this.batcher != null && this.batcher.isRunning();
		}

		@Override
		public boolean isAutoStartup() {
			return this.batcher != null;
		}

		@Override
		public int getPhase() {
			return RecordBatcher.PHASE;
		}

	}

}
