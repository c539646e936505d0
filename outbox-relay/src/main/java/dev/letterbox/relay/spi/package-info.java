/**
 * Extension points of the relay: strategies that find committed outbox events (polling, CDC) and
 * the publisher they hand those events to.
 *
 * <p>A strategy is found with {@link java.util.ServiceLoader} through {@link RelayStrategyProvider}
 * by its {@link RelayStrategyProvider#name() name}, so the relay module never compiles against
 * a particular source such as Debezium.
 */
package dev.letterbox.relay.spi;
