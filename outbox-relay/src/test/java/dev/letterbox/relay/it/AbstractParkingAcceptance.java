package dev.letterbox.relay.it;

import static dev.letterbox.relay.it.RelayTestKit.event;
import static dev.letterbox.relay.it.RelayTestKit.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.letterbox.outbox.OutboxEvent;
import dev.letterbox.relay.Relay;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.RetryConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The parking part of the acceptance suite (issue 11): rows that cannot be published are parked
 * with the reason, and what the relay logs about a refused event agrees with its {@code parked} field.
 */
abstract class AbstractParkingAcceptance extends AbstractCleanupAcceptance {

    private UUID insertRaw(String aggregateType, String aggregateId) throws Exception {
        UUID id = UUID.randomUUID();
        kit.update("INSERT INTO outbox_event (id, aggregatetype, aggregateid, type, payload) VALUES ("
                        + (kit.db().kind().name().equals("POSTGRES") ? "?::uuid" : "?") + ", ?, ?, ?, ?)",
                id.toString(), aggregateType, aggregateId, "Raw", "x".getBytes(StandardCharsets.UTF_8));
        return id;
    }

    /**
     * Regression (item 11): a row inserted by SQL with an empty {@code aggregatetype} was published to
     * the junk topic {@code outbox.event.}, one with an empty {@code aggregateid} with an empty key.
     */
    @Test
    void parksRowsWithAnEmptyAggregateTypeOrAggregateIdWithTheReason() throws Exception {
        String type = aggregateType("emptyid");
        String topic = kit.kafka().createTopic("outbox.event." + type, 1);
        UUID noType = insertRaw("", "e-1");
        UUID noId = insertRaw(type, "");
        OutboxEvent fine = event(type, "e-2", "Fine", "ok");
        kit.append(List.of(fine));

        try (LogCapture log = LogCapture.of("dev.letterbox.relay");
             Relay relay = kit.relay(kit.config(instance("emptyid")).build())) {
            relay.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> "PARKED".equals(kit.row(noType).get("status"))
                    && "PARKED".equals(kit.row(noId).get("status"))
                    && "PUBLISHED".equals(kit.row(fine.id()).get("status")));
            assertThat((String) kit.row(noType).get("last_error")).contains("aggregatetype column")
                    .contains(noType.toString()).contains("empty");
            assertThat((String) kit.row(noId).get("last_error")).contains("aggregateid column").contains("empty");
            assertThat(kit.row(noType)).containsEntry("attempts", 1);
            for (UUID id : List.of(noType, noId)) {
                List<String> mine = log.containing("event_id=" + id);
                assertThat(mine).singleElement().satisfies(l -> assertThat(l)
                        .contains("defective row parked without being sent").contains("parked=true"));
            }
        }
        assertThat(kit.readTopic(topic, 1, Duration.ofSeconds(20))).extracting(r -> header(r, "id"))
                .containsExactly(fine.id().toString());
    }

    /**
     * Regression (item 12): on attempts 1 and 2 of a refused event the WARN said "the event is parked,
     * fix it" while {@code parked=false}, and the same text went into the dead-letter header.
     */
    @Test
    void saysAnEventIsParkedOnlyWhenItIs() throws Exception {
        String type = aggregateType("refusedtext");
        UUID invalidTopic = UUID.randomUUID();
        kit.update("INSERT INTO outbox_event (id, aggregatetype, aggregateid, type, payload, topic) VALUES ("
                        + (kit.db().kind().name().equals("POSTGRES") ? "?::uuid" : "?") + ", ?, ?, ?, ?, ?)",
                invalidTopic.toString(), type, "r-1", "Bad", "x".getBytes(StandardCharsets.UTF_8), "bad topic name!");
        RelayConfig base = kit.config(instance("refusedtext")).build();
        RelayConfig config = base.toBuilder().retry(RetryConfig.builder().initialBackoff(Duration.ofMillis(20))
                .maxBackoff(Duration.ofMillis(100)).maxAttempts(3).build()).build();

        try (LogCapture log = LogCapture.of("dev.letterbox.relay");
             Relay relay = kit.relay(config)) {
            relay.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> "PARKED".equals(kit.row(invalidTopic).get("status")));
            List<String> mine = log.containing("event_id=" + invalidTopic);
            List<String> retried = mine.stream().filter(l -> l.contains("event refused by Kafka; it is sent again")).toList();
            List<String> parked = mine.stream().filter(l -> l.contains("event refused by Kafka and parked")).toList();
            assertThat(retried).hasSize(2).allSatisfy(l -> assertThat(l).contains("parked=false").doesNotContain("is parked"));
            assertThat(retried).anySatisfy(l -> assertThat(l).contains("attempt 1 of 3"))
                    .anySatisfy(l -> assertThat(l).contains("attempt 2 of 3"));
            assertThat(parked).singleElement().satisfies(l -> assertThat(l).contains("parked=true")
                    .contains("the event is parked after attempt 3 of 3"));
            assertThat((String) kit.row(invalidTopic).get("last_error")).contains("InvalidTopicException")
                    .contains("the event is parked after attempt 3 of 3");
        }
    }
}
