package dev.letterbox.spring.internal;

import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.outbox.WriteMode;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.service.ServiceConfig;
import java.time.Duration;

/**
 * The bound and validated {@code letterbox.*} properties of one application context; immutable, thread-safe.
 *
 * @param tables        the outbox tables ({@code letterbox.database.schema}, {@code letterbox.database.table-prefix})
 * @param writeMode     how events are written ({@code letterbox.relay.write-mode})
 * @param notifyRelay   the shortest time between two wake-up notifications of the {@code Outbox} bean
 *                      ({@code letterbox.outbox.notify-relay}), zero or more; null when it sends none
 * @param relay         the embedded relay's configuration (bound and validated also when the relay is off)
 * @param relayEnabled  {@code letterbox.relay.enabled}
 * @param wakeOnCommit  {@code letterbox.relay.wake-on-commit}
 * @param schemaMigrate {@code letterbox.schema.migrate}
 * @param schemaFlyway  {@code letterbox.schema.flyway}
 * @param readiness     the readiness thresholds ({@code letterbox.admin.readiness.*}); address, port and token unused
 */
public record LetterboxSettings(OutboxTables tables, WriteMode writeMode, Duration notifyRelay, RelayConfig relay,
                                boolean relayEnabled, boolean wakeOnCommit,
                                boolean schemaMigrate, boolean schemaFlyway, ServiceConfig.Admin readiness) {
}
