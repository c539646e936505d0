package dev.letterbox.relay;

/** The life cycle of a {@link Relay}: {@code NEW → RUNNING → STOPPING → STOPPED} (or {@code NEW → STOPPED}). */
public enum RelayState {
    /** Built, not started. */
    NEW,
    /** Started: its strategy claims and publishes. */
    RUNNING,
    /** {@code close()} is finishing the in-flight batch and releasing leases. */
    STOPPING,
    /** Closed; it cannot be started again. */
    STOPPED
}
