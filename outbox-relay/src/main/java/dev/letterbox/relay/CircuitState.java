package dev.letterbox.relay;

/** The state of the relay's broker circuit breaker, as shown in health and in the gauge {@code outbox.circuit.state}. */
public enum CircuitState {
    /** Sending normally. Gauge value 0. */
    CLOSED(0),
    /** One trial batch runs after the open duration. Gauge value 1. */
    HALF_OPEN(1),
    /** Too many failed batches: nothing is claimed until the open duration passed. Gauge value 2. */
    OPEN(2);

    private final int gaugeValue;

    CircuitState(int gaugeValue) {
        this.gaugeValue = gaugeValue;
    }

    /** The value of the {@code outbox.circuit.state} gauge for this state. */
    public int gaugeValue() {
        return gaugeValue;
    }
}
