package dev.letterbox.relay.internal;

import java.util.Map;
import org.slf4j.MDC;

/**
 * Carries the creating thread's MDC into the relay's own threads, so their log events have the
 * relay's instance id ({@link dev.letterbox.relay.Relay#MDC_INSTANCE}, set while the relay starts)
 * and whatever the application had put there. Stateless and thread-safe.
 */
final class CallerMdc {

    private CallerMdc() {
    }

    /** {@code body}, run with the MDC the calling thread has now. */
    static Runnable wrap(Runnable body) {
        Map<String, String> context = MDC.getCopyOfContextMap();
        if (context == null || context.isEmpty()) {
            return body;
        }
        return () -> {
            MDC.setContextMap(context);
            try {
                body.run();
            } finally {
                MDC.clear();
            }
        };
    }
}
