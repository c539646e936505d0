package dev.letterbox.relay.it;

import dev.letterbox.testsupport.KafkaServer;
import dev.letterbox.testsupport.TestDatabase;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * What every part of the relay's acceptance suite stands on: one database per class (chosen by the
 * subclass), the shared Kafka, and empty outbox tables before each test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RelayFixture {

    private static final AtomicInteger IDS = new AtomicInteger();

    protected RelayTestKit kit;

    /** Creates the database this suite runs on. */
    protected abstract TestDatabase createDatabase();

    /** The {@code relay.polling.mode} the suite runs; mark unless a subclass says otherwise. */
    protected String mode() {
        return "mark";
    }

    @BeforeAll
    void setUp() {
        kit = new RelayTestKit(createDatabase(), KafkaServer.shared(), mode());
    }

    @BeforeEach
    void emptyOutbox() throws Exception {
        kit.update("DELETE FROM outbox_event");
        kit.update("DELETE FROM outbox_lease");
        kit.update("DELETE FROM outbox_inbox");
    }

    /** A unique aggregate type per test, so its default topic is unique too. */
    protected static String aggregateType(String hint) {
        return hint + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected String instance(String hint) {
        return hint + "-" + IDS.incrementAndGet();
    }
}
