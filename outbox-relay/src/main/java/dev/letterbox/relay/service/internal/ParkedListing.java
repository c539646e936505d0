package dev.letterbox.relay.service.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code parked list} prints: a table with the cause of each parking first (the Kafka error,
 * or the defect), its topic, and the rest; or the whole rows as JSON.
 *
 * <p>Regression (issue 11, item 10): the error was cut at 117 characters, most of them the event id
 * repeated; the topic was not shown; there was no machine-readable output.
 *
 * <p>Stateless and thread-safe.
 */
final class ParkedListing {

    /** How much of the cause the table shows without {@code --wide}. */
    static final int CAUSE_WIDTH = 100;
    /** {@code Kafka refused event <id> for topic 't' (SomeException: text); ...}: the part in brackets. */
    private static final Pattern KAFKA_CAUSE = Pattern.compile("\\(([A-Za-z0-9_.$]+(?:Exception|Error): .*?)\\);");

    private ParkedListing() {
    }

    static void print(List<ParkedEvent> events, String topicTemplate, boolean json, boolean wide, PrintStream out) {
        if (json) {
            out.println(json(events, topicTemplate));
            return;
        }
        out.printf("%-36s %-32s %-24s %-20s %8s  %s%n", "id", "topic", "aggregate", "type", "attempts", "cause");
        for (ParkedEvent e : events) {
            String cause = cause(e);
            if (!wide && cause.length() > CAUSE_WIDTH) {
                cause = cause.substring(0, CAUSE_WIDTH - 3) + "...";
            }
            out.printf("%-36s %-32s %-24s %-20s %8d  %s%n", e.id(), topic(e, topicTemplate),
                    e.aggregateType() + "/" + e.aggregateId(), e.type(), e.attempts(), cause);
        }
        out.println(events.size() + " parked event(s) shown" + (wide ? "" : " (--wide: whole causes, --json: every"
                + " field)"));
    }

    /**
     * The cause of the parking, first: the Kafka error's class and message when the stored error
     * has one, else the stored error without the event id (the table shows it already).
     */
    static String cause(ParkedEvent e) {
        String error = e.lastError() == null ? "" : e.lastError().replace('\n', ' ');
        Matcher m = KAFKA_CAUSE.matcher(error);
        if (m.find()) {
            return m.group(1);
        }
        return error.replace(" of event " + e.id(), "").replace("event " + e.id() + " ", "");
    }

    private static String topic(ParkedEvent e, String template) {
        return Topics.of(template, e.topic(), e.aggregateType(), e.type());
    }

    private static String json(List<ParkedEvent> events, String topicTemplate) {
        ObjectMapper mapper = new ObjectMapper();
        ArrayNode array = mapper.createArrayNode();
        for (ParkedEvent e : events) {
            ObjectNode o = array.addObject();
            o.put("id", e.id());
            o.put("topic", topic(e, topicTemplate));
            o.put("topicOverride", e.topic());
            o.put("aggregateType", e.aggregateType());
            o.put("aggregateId", e.aggregateId());
            o.put("type", e.type());
            o.put("createdAt", e.createdAt().toString());
            o.put("attempts", e.attempts());
            o.put("cause", cause(e));
            o.put("error", e.lastError());
        }
        try {
            return mapper.writeValueAsString(array);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
