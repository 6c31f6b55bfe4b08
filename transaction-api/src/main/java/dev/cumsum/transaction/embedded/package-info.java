/**
 * Local runs and tests only: the embedded mongo-java-server (file store) started when no
 * {@code spring.mongodb.uri} is set. A deployment always names a MongoDB, so production
 * never creates these beans.
 */
package dev.cumsum.transaction.embedded;
