package dev.letterbox.relay;

/** What happens to later events of an aggregate whose event was parked (key {@code relay.parked-policy}). */
public enum ParkedPolicy {
    /** Later events of that aggregate wait until the parked event is retried or dropped: order holds. The default. */
    HOLD_AGGREGATE,
    /** Later events of that aggregate are published; the parked event is out of order if retried later. */
    SKIP
}
