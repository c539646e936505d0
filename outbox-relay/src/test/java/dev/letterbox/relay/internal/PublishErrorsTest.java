package dev.letterbox.relay.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.letterbox.relay.PublishException;
import java.util.UUID;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class PublishErrorsTest {

    /**
     * Regression (issue 11, item 14): during a broker outage the pollers logged "Topic ... not present
     * in metadata", which reads like a missing topic.
     */
    @Test
    void callsAMetadataTimeoutAnUnreachableBroker() {
        PublishException e = PublishErrors.classify(new TimeoutException(
                "Topic outbox.event.order not present in metadata after 10000 ms."), UUID.randomUUID(), "outbox.event.order");

        assertThat(e.retriable()).isTrue();
        assertThat(e.getMessage()).contains("the Kafka brokers did not answer within max.block.ms, they are unreachable");
    }
}
