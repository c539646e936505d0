package dev.letterbox.debezium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.letterbox.outbox.WriteMode;
import dev.letterbox.relay.service.ConfigException;
import dev.letterbox.relay.service.ServiceConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service's {@code relay.write-mode} reaches the cdc strategy. Regression: the service checked
 * the key but never passed it on, so the cdc strategy ran in TABLE mode whatever the services wrote
 * (a fresh INSERT_AND_DELETE deployment then took an initial snapshot and marked rows that never stay).
 */
class ServiceWriteModeTest {

    private static ServiceConfig parse(String relayLines, String debeziumLines) {
        return ServiceConfig.parse("relay.yaml", """
                database:
                  url: jdbc:postgresql://127.0.0.1:5432/app
                kafka:
                  bootstrap-servers: 127.0.0.1:9092
                relay:
                  strategy: cdc
                %s
                debezium:
                  slot.name: orders
                %s
                """.formatted(relayLines, debeziumLines), Map.of());
    }

    @Test
    void relayWriteModeBecomesTheCdcStrategysWriteMode() {
        ServiceConfig config = parse("  write-mode: insert-and-delete", "");

        assertThat(CdcSettings.from(config.relay().strategyProperties()).writeMode()).isEqualTo(WriteMode.INSERT_AND_DELETE);
        assertThat(config.relay().strategyProperties()).containsEntry("slot.name", "orders");
    }

    @Test
    void cdcWriteModeAloneStillWorks() {
        ServiceConfig config = parse("", "  letterbox.write-mode: logical-message");

        assertThat(CdcSettings.from(config.relay().strategyProperties()).writeMode()).isEqualTo(WriteMode.LOGICAL_MESSAGE);
    }

    @Test
    void refusesDisagreeingWriteModes() {
        assertThatThrownBy(() -> parse("  write-mode: insert-and-delete", "  letterbox.write-mode: table"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("relay.write-mode insert-and-delete and debezium.letterbox.write-mode table disagree");
    }
}
