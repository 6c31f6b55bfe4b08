package dev.cumsum.api.cumsum;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;

import dev.cumsum.api.cumsum.NumberArray.Decimals;
import dev.cumsum.api.cumsum.NumberArray.Longs;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes the 200 body with the old API's fields plus the request id:
 * {@code {"message":"success","data":[...],"exec_ns":N,"start_time":S,"request_id":"..."}}.
 * Streaming keeps exact numbers exact (BigDecimal text, never double) and skips
 * reflection.
 */
final class CumSumResponseWriter {

	private static final JsonFactory JSON = JsonFactory.builder().build();

	private CumSumResponseWriter() {
	}

	static byte[] write(NumberArray data, long execNs, long startTimeSeconds, String requestId) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(64 + data.length() * 8);
		try (JsonGenerator json = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
			json.writeStartObject();
			json.writeStringProperty("message", "success");
			json.writeName("data");
			json.writeStartArray();
			switch (data) {
				case Longs longs -> {
					for (long value : longs.values()) {
						json.writeNumber(value);
					}
				}
				case Decimals decimals -> {
					for (BigDecimal value : decimals.values()) {
						json.writeNumber(value);
					}
				}
			}
			json.writeEndArray();
			json.writeNumberProperty("exec_ns", execNs);
			json.writeNumberProperty("start_time", startTimeSeconds);
			json.writeStringProperty("request_id", requestId);
			json.writeEndObject();
		}
		return out.toByteArray();
	}

}
