package dev.letterbox.relay.internal;

/**
 * The words of the poller's log line and stored error for an event that was not published for
 * good, so that the text agrees with the {@code parked} field (issue 11, item 12). Regression: on
 * attempts 1 and 2 of a refused event the text said "the event is parked, fix it" while
 * {@code parked=false}, and a row parked for malformed headers was logged as "event refused by Kafka".
 *
 * <p>Stateless and thread-safe.
 */
final class RefusalText {

    private RefusalText() {
    }

    /** The log message: what happened to the row. */
    static String message(ClaimedRow row, boolean parked) {
        if (row.defect() != null) {
            return "defective row parked without being sent";
        }
        return parked ? "event refused by Kafka and parked" : "event refused by Kafka; it is sent again after a backoff";
    }

    /**
     * The error as logged, stored in {@code last_error} and sent in the dead-letter {@code error}
     * header: the cause, then what happens next.
     */
    static String error(ClaimedRow row, String cause, boolean parked, int maxAttempts) {
        if (row.defect() != null) {
            return cause;
        }
        int attempt = row.attempts() + 1;
        return parked
                ? cause + "; the event is parked after attempt " + attempt + " of " + maxAttempts + ": fix it or the"
                        + " topic, then `parked retry` it"
                : cause + "; attempt " + attempt + " of " + maxAttempts + ", sent again after a backoff";
    }
}
