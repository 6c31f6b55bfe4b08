package dev.cumsum.api.web;

import io.micrometer.common.KeyValue;

import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Reports {@code POST /api/} as {@code uri="/api"}: one series for one endpoint
 * (docs/metrics.md).
 */
@Component
class ApiUriObservationConvention extends DefaultServerRequestObservationConvention {

	@Override
	protected KeyValue uri(ServerRequestObservationContext context) {
		KeyValue uri = super.uri(context);
		return "/api/".equals(uri.getValue()) ? KeyValue.of(uri.getKey(), "/api") : uri;
	}

}
