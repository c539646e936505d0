package dev.letterbox.debezium;

import dev.letterbox.outbox.LogicalMessageCodec;
import dev.letterbox.outbox.WriteMode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The CDC strategy's settings, read from the relay's {@code debezium.*} pass-through keys (prefix
 * removed): keys under {@code letterbox.} are this module's own, every other key goes verbatim to
 * the Debezium engine and wins over the defaults this module sets (see {@code docs/cdc.md}).
 *
 * <p>Immutable and thread-safe.
 *
 * <pre>{@code
 * CdcSettings s = CdcSettings.from(Map.of("letterbox.write-mode", "logical-message", "slot.name", "orders_cdc"));
 * }</pre>
 *
 * @param writeMode     how the services write events ({@code letterbox.write-mode}: {@code table} (default),
 *                      {@code insert-and-delete}, {@code logical-message}); never null
 * @param messagePrefix the logical decoding message prefix the writers use ({@code letterbox.message-prefix});
 *                      default {@value LogicalMessageCodec#DEFAULT_PREFIX}
 * @param debezium      the Debezium engine keys given by the user; never null
 */
public record CdcSettings(WriteMode writeMode, String messagePrefix, Map<String, String> debezium) {

    /** The own-key namespace inside the {@code debezium.*} section. */
    public static final String OWN_PREFIX = "letterbox.";
    /** Key of {@link #writeMode()}. */
    public static final String WRITE_MODE = "letterbox.write-mode";
    /** Key of {@link #messagePrefix()}. */
    public static final String MESSAGE_PREFIX = "letterbox.message-prefix";

    /** Validates every value; throws {@link CdcConfigException} naming the key. */
    public CdcSettings {
        if (writeMode == null) {
            throw new CdcConfigException("debezium." + WRITE_MODE, null, "is required");
        }
        if (messagePrefix == null || messagePrefix.isBlank() || messagePrefix.contains(",")) {
            throw new CdcConfigException("debezium." + MESSAGE_PREFIX, messagePrefix,
                    "must be a non-blank prefix without commas, the one the writers' Outbox uses (default "
                            + LogicalMessageCodec.DEFAULT_PREFIX + ")");
        }
        debezium = Map.copyOf(Objects.requireNonNull(debezium, "debezium"));
        String binary = debezium.get("binary.handling.mode");
        if (binary != null && !"bytes".equals(binary)) {
            throw new CdcConfigException("debezium.binary.handling.mode", binary,
                    "must be 'bytes' (the payload column is published as is): remove the key");
        }
    }

    /** The defaults: {@code TABLE} mode, the default message prefix, no Debezium overrides. */
    public static CdcSettings ofDefaults() {
        return new CdcSettings(WriteMode.TABLE, LogicalMessageCodec.DEFAULT_PREFIX, Map.of());
    }

    /**
     * Reads the settings from the pass-through properties (prefix {@code debezium.} removed).
     *
     * @param properties the relay's strategy properties; never null
     * @throws CdcConfigException for an unknown {@code letterbox.*} key or an invalid value
     */
    public static CdcSettings from(Map<String, String> properties) {
        Map<String, String> debezium = new LinkedHashMap<>();
        WriteMode mode = WriteMode.TABLE;
        String prefix = LogicalMessageCodec.DEFAULT_PREFIX;
        for (Map.Entry<String, String> e : properties.entrySet()) {
            String key = e.getKey();
            if (!key.startsWith(OWN_PREFIX)) {
                debezium.put(key, e.getValue());
            } else if (key.equals(WRITE_MODE)) {
                mode = writeMode(e.getValue());
            } else if (key.equals(MESSAGE_PREFIX)) {
                prefix = e.getValue();
            } else {
                throw new CdcConfigException("debezium." + key, e.getValue(), "is not a known key: the letterbox.*"
                        + " keys are " + WRITE_MODE + " and " + MESSAGE_PREFIX + "; fix the spelling or remove it");
            }
        }
        return new CdcSettings(mode, prefix, debezium);
    }

    /** A copy with another write mode. */
    public CdcSettings withWriteMode(WriteMode mode) {
        return new CdcSettings(mode, messagePrefix, debezium);
    }

    private static WriteMode writeMode(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        return switch (v) {
            case "table" -> WriteMode.TABLE;
            case "insert-and-delete" -> WriteMode.INSERT_AND_DELETE;
            case "logical-message" -> WriteMode.LOGICAL_MESSAGE;
            default -> throw new CdcConfigException("debezium." + WRITE_MODE, value,
                    "must be one of table, insert-and-delete, logical-message (the mode the services' Outbox writes in)");
        };
    }
}
