/**
 * Build-time only: the traffic that trains the image's JDK AOT cache
 * ({@code training.requests}, docs/images.md). Nothing on the request path uses it.
 */
package dev.cumsum.transaction.training;
