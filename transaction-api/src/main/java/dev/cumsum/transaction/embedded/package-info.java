/**
 * Local runs and tests only: the embedded mongo-java-server (file store) started when no
 * {@code spring.mongodb.uri} is set. A deployment always names a MongoDB, so production
 * never starts it; the beans that decide exist in every mode (one Spring AOT build serves
 * both), and with a URI they hand the driver Boot's connection details.
 */
package dev.cumsum.transaction.embedded;
