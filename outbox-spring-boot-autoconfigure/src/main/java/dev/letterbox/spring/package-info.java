/**
 * Letterbox in a Spring Boot application: {@link dev.letterbox.spring.TransactionalOutbox} appends in
 * the current Spring-managed transaction, {@link dev.letterbox.spring.SpringKafkaInbox} applies a
 * Kafka record once inside a listener's transaction. The beans come from
 * {@code dev.letterbox.spring.autoconfigure.LetterboxAutoConfiguration}; docs/spring-boot.md shows the setup.
 */
package dev.letterbox.spring;
