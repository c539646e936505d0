package dev.letterbox.relay.service.internal;

import java.util.Map;

/**
 * The answer of {@code /health/ready}: whether the relay is ready, and the facts behind it.
 *
 * <p>Immutable and thread-safe.
 *
 * @param ready   true when the relay can read the outbox and publish within the configured limits
 * @param details named facts (database, kafka, circuit, oldest age, phase, reasons), shown as JSON
 */
public record Readiness(boolean ready, Map<String, Object> details) {

    public Readiness {
        details = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(details));
    }
}
