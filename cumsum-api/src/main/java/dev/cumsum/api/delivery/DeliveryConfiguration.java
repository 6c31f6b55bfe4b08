package dev.cumsum.api.delivery;

import dev.cumsum.transaction.v1.Record;
import dev.cumsum.transaction.v1.TransactionServiceGrpc.TransactionServiceFutureStub;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class DeliveryConfiguration {

	@Bean
	Delivery delivery(DeliveryProperties properties, ObjectProvider<RecordBatcher> batcher) {
		return switch (properties.mode()) {
			case STRICT -> new StrictDelivery(batcher.getObject(), properties);
			case ASYNC -> new AsyncDelivery(batcher.getObject(), properties);
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
	@ConditionalOnExpression("'${cumsum.delivery.mode:strict}'.toLowerCase() != 'off'")
	RecordBatcher recordBatcher(TransactionServiceFutureStub stub, DeliveryProperties properties,
			MeterRegistry registry, ObjectProvider<Tracer> tracer) {
		return new RecordBatcher(stub, properties, registry, tracer.getIfAvailable(() -> Tracer.NOOP));
	}

}
