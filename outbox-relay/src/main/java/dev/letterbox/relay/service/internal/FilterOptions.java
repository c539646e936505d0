package dev.letterbox.relay.service.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/** The event selection options shared by {@code parked} and {@code replay}. Not thread-safe. */
public final class FilterOptions {

    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Option(names = "--id", split = ",", paramLabel = "EVENT_ID", description = "Event id; repeatable or comma-separated.")
    List<String> ids = new ArrayList<>();

    @Option(names = "--aggregate-type", paramLabel = "TYPE", description = "Aggregate type, e.g. order.")
    String aggregateType;

    @Option(names = "--aggregate", paramLabel = "ID", description = "Aggregate id (the Kafka key).")
    String aggregateId;

    @Option(names = "--from", paramLabel = "INSTANT", description = "Created at or after, ISO-8601, e.g. 2026-11-24T10:00:00Z.")
    String from;

    @Option(names = "--to", paramLabel = "INSTANT", description = "Created before, ISO-8601.")
    String to;

    /** The filter; throws {@link IllegalArgumentException} naming the option when a value is malformed. */
    public EventFilter filter() {
        List<UUID> eventIds = new ArrayList<>();
        ids.forEach(id -> eventIds.add(eventId(id)));
        return new EventFilter(eventIds, aggregateType, aggregateId, instant("--from", from), instant("--to", to));
    }

    /**
     * An event id as the outbox writes it: a UUID in its 36-character text form (any case).
     * Regression: on PostgreSQL and H2 a malformed id reached the query and the command ended with
     * exit code 1 and a stack trace instead of a usage error.
     */
    private static UUID eventId(String value) {
        String v = value.trim();
        if (!UUID_TEXT.matcher(v).matches()) {
            throw new IllegalArgumentException("--id must be an event id, a UUID such as"
                    + " 01939c4e-7f3a-7b2e-9c1d-5f0e8a6b4c21 (`parked list` shows them), was '" + value + "'");
        }
        return UUID.fromString(v);
    }

    private static Instant instant(String option, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " must be an ISO-8601 instant such as 2026-11-24T10:00:00Z,"
                    + " was '" + value + "'");
        }
    }
}
