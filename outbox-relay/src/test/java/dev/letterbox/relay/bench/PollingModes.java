package dev.letterbox.relay.bench;

import dev.letterbox.relay.PollingConfig;
import dev.letterbox.relay.service.ConfigException;
import dev.letterbox.relay.service.ConfigProblem;
import dev.letterbox.relay.service.ServiceConfig;
import java.util.Locale;
import java.util.LinkedHashMap;
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
    static Choice of(String variant, PollingConfig base) {
        // a variant is a mode with optional relay.polling.* overrides: log+read-interval=5ms+workers=1
        String[] parts = variant.split("\\+");
        String mode = parts[0];
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("mode", mode);
        keys.put("batch-size", String.valueOf(base.batchSize()));
        keys.put("lease-ttl", base.leaseTtl().toMillis() + "ms");
        keys.put("idle-backoff-min", base.idleBackoffMin().toMillis() + "ms");
        keys.put("idle-backoff-max", base.idleBackoffMax().toMillis() + "ms");
        keys.put("listen-notify", String.valueOf(base.listenNotify()));
        keys.put("workers", String.valueOf(base.workers()));
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length != 2) {
                return new Choice(variant, null, "skipped: '" + parts[i] + "' is not key=value (a relay.polling key)");
            }
            keys.put(kv[0], kv[1]);
        }
        StringBuilder yaml = new StringBuilder("database:\n  url: jdbc:postgresql://127.0.0.1/unused\n"
                + "kafka:\n  bootstrap-servers: 127.0.0.1:9092\n"
                + "relay:\n  polling:\n");
        keys.forEach((k, v) -> yaml.append("    ").append(k).append(": ").append(v).append('\n'));
        try {
            PollingConfig polling = ServiceConfig.parse("bench modes=" + variant, yaml.toString(), Map.of()).relay()
                    .polling();
            return new Choice(variant, polling, "relay.polling.mode=" + mode
                    + (parts.length > 1 ? ", relay.polling." + String.join(", relay.polling.",
                    java.util.Arrays.asList(parts).subList(1, parts.length)) : ""));
        } catch (ConfigException e) {
            boolean unknownKey = e.problems().stream()
                    .anyMatch(p -> p.message().contains("unknown key 'relay.polling.mode'"));
            if (unknownKey && LEGACY.equals(mode.toLowerCase(Locale.ROOT))) {
                return new Choice(variant, base, "this build has no relay.polling.mode: 'mark' runs its only claim path");
            }
            String why = e.problems().stream().map(ConfigProblem::message).collect(Collectors.joining("; "));
            return new Choice(variant, null, unknownKey
                    ? "skipped: this build has no relay.polling.mode, so mode '" + mode + "' cannot run (" + why + ")"
                    : "skipped: relay.polling.mode '" + mode + "' refused: " + why);
        }
    }
}
