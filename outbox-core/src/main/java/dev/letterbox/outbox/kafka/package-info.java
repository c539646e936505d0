/**
 * Kafka-consumer convenience for the inbox: {@link dev.letterbox.outbox.kafka.KafkaInbox} applies
 * each polled record once, in a database transaction, and commits offsets after it. Needs
 * {@code org.apache.kafka:kafka-clients} on the classpath (an optional dependency of outbox-core).
 */
package dev.letterbox.outbox.kafka;
