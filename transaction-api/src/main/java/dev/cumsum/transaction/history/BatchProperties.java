package dev.cumsum.transaction.history;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How much of the heap RecordBatch calls may take (README, "Message and batch sizes").
 *
 * @param maxConcurrent RecordBatch calls reading, parsing and storing their message at
 * once; the others wait (their message held back by HTTP/2 flow control) within their
 * deadline
 */
@ConfigurationProperties("history.batch")
record BatchProperties(@DefaultValue("2") int maxConcurrent) {
}
