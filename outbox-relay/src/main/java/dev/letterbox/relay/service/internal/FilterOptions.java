package dev.letterbox.relay.service.internal;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The event selection options shared by {@code parked} and {@code replay}. Not thread-safe. */
public final class FilterOptions {

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
        return new EventFilter(ids, aggregateType, aggregateId, instant("--from", from), instant("--to", to));
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
