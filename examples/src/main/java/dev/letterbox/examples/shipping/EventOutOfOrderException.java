package dev.letterbox.examples.shipping;

/**
 * Thrown when an order's event arrives before the event that precedes it: the shipment holds
 * {@code currentVersion}, the event carries {@code eventVersion}, and only
 * {@code currentVersion + 1} may follow. Order per aggregate is the relay's promise, so this
 * means that promise was broken; the transaction rolls back and the event is not marked processed.
 */
public final class EventOutOfOrderException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String orderId;
    private final int currentVersion;
    private final int eventVersion;

    EventOutOfOrderException(String orderId, int currentVersion, int eventVersion) {
        super("order " + orderId + ": event version " + eventVersion + " arrived while the shipment is at version "
                + currentVersion + " (expected " + (currentVersion + 1) + "); events of one order must arrive in commit order");
        this.orderId = orderId;
        this.currentVersion = currentVersion;
        this.eventVersion = eventVersion;
    }

    /** The order (aggregate id) whose events arrived out of order. */
    public String orderId() {
        return orderId;
    }

    /** The version the shipment had applied, -1 when it had none. */
    public int currentVersion() {
        return currentVersion;
    }

    /** The version the out-of-order event carries. */
    public int eventVersion() {
        return eventVersion;
    }
}
