/**
 * The relay library: {@link dev.letterbox.relay.Relay} publishes committed outbox events to Kafka,
 * configured by {@link dev.letterbox.relay.RelayConfig}, observed through
 * {@link dev.letterbox.relay.RelayMetrics} and {@link dev.letterbox.relay.RelayHealth}.
 *
 * <p>Errors are unchecked and rooted at {@link dev.letterbox.relay.RelayException}; whether a
 * failed publish may be retried is in its type ({@link dev.letterbox.relay.RetriablePublishException}
 * or {@link dev.letterbox.relay.PermanentPublishException}).
 */
package dev.letterbox.relay;
