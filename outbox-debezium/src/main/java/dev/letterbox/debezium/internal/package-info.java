/**
 * The CDC strategy's implementation: the lease loop, the Debezium engine's configuration and life,
 * the decoding of change events and logical messages, and the batch publisher that lets Debezium
 * commit an offset only after Kafka acknowledged every record before it. Not API.
 */
package dev.letterbox.debezium.internal;
