/**
 * A Spring Boot orders service: {@code POST /orders} writes an order and its {@code OrderPlaced}
 * event in one {@code @Transactional} method, the embedded relay publishes the event, and a Spring
 * Kafka listener applies it once through the inbox. {@link dev.letterbox.examples.springorders.SpringOrdersApplication}
 * runs it all on embedded servers; the README's "Spring Boot" section shows the one command.
 */
package dev.letterbox.examples.springorders;
