/**
 * The relay's implementation: polling strategy, shard leases, Kafka publisher, cleanup and metrics
 * sampling. Not API: types here may change without notice.
 */
package dev.letterbox.relay.internal;
