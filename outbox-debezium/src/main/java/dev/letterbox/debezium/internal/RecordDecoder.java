package dev.letterbox.debezium.internal;

import dev.letterbox.outbox.InvalidEventException;
import dev.letterbox.outbox.LogicalMessageCodec;
import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.relay.spi.OutboxRecord;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Turns a Debezium change event of the outbox table, or a logical decoding message, into the
 * {@link OutboxRecord} polling would build from the same event. Stateless and thread-safe.
 *
 * <p>Published: inserts ({@code op} {@code c}, or {@code r} from a snapshot) of rows whose status
 * is {@code PENDING}, and messages ({@code op} {@code m}) with the configured prefix. Skipped:
 * updates and deletes (the relay's own marks, cleanup, {@code INSERT_AND_DELETE}'s delete),
 * rows inserted as {@code PARKED}, heartbeats, anything without an envelope.
 */
final class RecordDecoder {

    private final String messagePrefix;

    RecordDecoder(String messagePrefix) {
        this.messagePrefix = messagePrefix;
    }

    Decoded decode(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("op") == null) {
            return new Decoded.Skip("no change envelope (heartbeat or tombstone)");
        }
        String op = value.getString("op");
        return switch (op) {
            case "c", "r" -> row(value, record);
            case "m" -> message(value, record);
            default -> new Decoded.Skip("op " + op);
        };
    }

    private Decoded row(Struct value, SourceRecord record) {
        Struct after = value.getStruct("after");
        String status = text(after, "status");
        if (status != null && !"PENDING".equals(status)) {
            return new Decoded.Skip("row inserted with status " + status);
        }
        UUID id = null;
        try {
            id = UUID.fromString(required(after, "id"));
            OutboxRecord r = new OutboxRecord(id, required(after, "aggregatetype"),
                    required(after, "aggregateid"), required(after, "type"), bytes(after.get("payload")),
                    HeadersJson.parse(text(after, "headers")), text(after, "topic"), instant(required(after, "created_at")));
            return new Decoded.Event(r, true, committedAt(value));
        } catch (RuntimeException e) {
            return new Decoded.Invalid("outbox row " + (id == null ? "" : id + " ") + "is not a valid event: "
                    + e.getMessage(), position(record), id);
        }
    }

    private Decoded message(Struct value, SourceRecord record) {
        Struct message = value.getStruct("message");
        String prefix = message.getString("prefix");
        if (!messagePrefix.equals(prefix)) {
            return new Decoded.Skip("message prefix " + prefix);
        }
        try {
            LogicalMessageCodec.Message m = LogicalMessageCodec.decode(bytes(message.get("content")));
            OutboxEvent e = m.event();
            OutboxRecord r = new OutboxRecord(e.id(), e.aggregateType(), e.aggregateId(), e.eventType(), e.payload(),
                    e.headers(), e.topic(), m.createdAt());
            return new Decoded.Event(r, false, committedAt(value));
        } catch (InvalidEventException | NullPointerException e) {
            return new Decoded.Invalid("logical message is not a valid envelope: " + e.getMessage(), position(record), null);
        }
    }

    private static Instant committedAt(Struct value) {
        Field source = value.schema().field("source");
        if (source == null) {
            return null;
        }
        Struct s = value.getStruct("source");
        Object ts = s == null ? null : s.get("ts_ms");
        return ts instanceof Long ms ? Instant.ofEpochMilli(ms) : null;
    }

    /** Where in the log the record is, for logs: the source offset as Debezium keeps it. */
    static String position(SourceRecord record) {
        Map<String, ?> offset = record.sourceOffset();
        return offset == null ? "unknown" : offset.toString();
    }

    private static String required(Struct s, String field) {
        String v = text(s, field);
        if (v == null) {
            throw new IllegalArgumentException("column " + field + " is null");
        }
        return v;
    }

    private static String text(Struct s, String field) {
        if (s.schema().field(field) == null) {
            return null;
        }
        Object v = s.get(field);
        return v == null ? null : v.toString();
    }

    static byte[] bytes(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof byte[] b) {
            return b;
        }
        if (v instanceof ByteBuffer buf) {
            ByteBuffer copy = buf.duplicate();
            byte[] b = new byte[copy.remaining()];
            copy.get(b);
            return b;
        }
        throw new IllegalArgumentException("binary column arrived as " + v.getClass().getName()
                + ": set binary.handling.mode=bytes");
    }

    static Instant instant(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("created_at '" + text + "' is not an ISO-8601 timestamp with offset");
        }
    }
}
