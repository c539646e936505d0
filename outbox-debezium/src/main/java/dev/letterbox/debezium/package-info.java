/**
 * The CDC relay strategy: streams the outbox from the database's log with Debezium Embedded and
 * hands each event to the relay's publisher, so Kafka receives the same records as with polling.
 *
 * <p>Selected with {@code relay.strategy: cdc}; the relay finds {@link CdcStrategyProvider} through
 * {@link java.util.ServiceLoader}. Settings come from the relay's {@code debezium.*} pass-through
 * keys, read by {@link CdcSettings}. See {@code docs/cdc.md}.
 */
package dev.letterbox.debezium;
