package dev.letterbox.relay.service.internal;

/**
 * The topic an event goes to, as the relay picks it: the row's override, else
 * {@code relay.topic-template} with {@code ${aggregatetype}} and {@code ${type}} replaced.
 *
 * <p>Stateless and thread-safe.
 */
final class Topics {

    private Topics() {
    }

    static String of(String template, String override, String aggregateType, String type) {
        if (override != null && !override.isBlank()) {
            return override;
        }
        return template.replace("${aggregatetype}", String.valueOf(aggregateType)).replace("${type}", String.valueOf(type));
    }
}
