package dev.letterbox.relay.bench;

import dev.letterbox.relay.PollingConfig;
import dev.letterbox.relay.service.ConfigException;
import dev.letterbox.relay.service.ConfigProblem;
import dev.letterbox.relay.service.ServiceConfig;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Sets {@code relay.polling.mode} on a {@link PollingConfig} through the standalone relay's own
 * YAML binding, so a harness compiles and runs whether or not this build of the relay knows the
 * key: the key is looked up by its documented name, not by a builder method. Stateless and
 * thread-safe.
 */
final class PollingModes {

    /** The claim path of builds without {@code relay.polling.mode}: it marks rows PUBLISHED. */
    static final String LEGACY = "mark";

    /** A polling configuration for a mode, or why the mode cannot run on this build. */
    record Choice(String mode, PollingConfig polling, String note) {

        boolean runnable() {
            return polling != null;
        }
    }

    private PollingModes() {
    }

    /**
     * {@code base} with {@code relay.polling.mode} set to {@code mode}. When this build does not know
     * the key, {@code mark} runs {@code base} unchanged (the only claim path there is) and any other
     * mode is refused with the reason; an invalid value is refused with the relay's own message.
     */
    static Choice of(String mode, PollingConfig base) {
        String yaml = "database:\n  url: jdbc:postgresql://127.0.0.1/unused\n"
                + "kafka:\n  bootstrap-servers: 127.0.0.1:9092\n"
                + "relay:\n  polling:\n"
                + "    mode: " + mode + "\n"
                + "    batch-size: " + base.batchSize() + "\n"
                + "    lease-ttl: " + base.leaseTtl().toMillis() + "ms\n"
                + "    idle-backoff-min: " + base.idleBackoffMin().toMillis() + "ms\n"
                + "    idle-backoff-max: " + base.idleBackoffMax().toMillis() + "ms\n"
                + "    listen-notify: " + base.listenNotify() + "\n"
                + "    workers: " + base.workers() + "\n";
        try {
            PollingConfig polling = ServiceConfig.parse("bench modes=" + mode, yaml, Map.of()).relay().polling();
            return new Choice(mode, polling, "relay.polling.mode=" + mode);
        } catch (ConfigException e) {
            boolean unknownKey = e.problems().stream()
                    .anyMatch(p -> p.message().contains("unknown key 'relay.polling.mode'"));
            if (unknownKey && LEGACY.equals(mode.toLowerCase(Locale.ROOT))) {
                return new Choice(mode, base, "this build has no relay.polling.mode: 'mark' runs its only claim path");
            }
            String why = e.problems().stream().map(ConfigProblem::message).collect(Collectors.joining("; "));
            return new Choice(mode, null, unknownKey
                    ? "skipped: this build has no relay.polling.mode, so mode '" + mode + "' cannot run (" + why + ")"
                    : "skipped: relay.polling.mode '" + mode + "' refused: " + why);
        }
    }
}
