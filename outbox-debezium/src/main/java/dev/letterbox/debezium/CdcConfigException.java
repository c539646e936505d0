package dev.letterbox.debezium;

import dev.letterbox.relay.RelayException;

/**
 * A CDC setting is invalid or does not fit the database; the message names the key, the rule,
 * the value and the fix. Not retriable: change the configuration.
 */
public final class CdcConfigException extends RelayException {

    private static final long serialVersionUID = 1L;

    private final String key;
    private final String value;

    /**
     * Creates the exception.
     *
     * @param key   the offending configuration key, e.g. {@code debezium.letterbox.write-mode}
     * @param value the value it had, or null when missing
     * @param rule  what the value must be, and how to fix it
     */
    public CdcConfigException(String key, String value, String rule) {
        super(key + " " + rule + ", was " + (value == null ? "unset" : "'" + value + "'"));
        this.key = key;
        this.value = value;
    }

    /** The offending configuration key. */
    public String key() {
        return key;
    }

    /** The value it had, or null when missing. */
    public String value() {
        return value;
    }
}
