package dev.letterbox.relay;

import static dev.letterbox.relay.ConfigRules.between;

import java.time.Duration;

/**
 * How old inbox entries ({@code (consumer, event_id)} pairs) are purged (keys {@code cleanup.inbox.*});
 * runs with cleanup, under the same lease, batch size and pause.
 *
 * <p>Immutable and thread-safe.
 *
 * @param enabled   whether the inbox is purged; default false (the inbox may live in another database)
 * @param retention entries processed longer ago than this are deleted; must exceed the longest
 *                  time a duplicate can arrive; 1s..3650d, default 14d
 */
public record InboxPurgeConfig(boolean enabled, Duration retention) {

    public InboxPurgeConfig {
        between("cleanup.inbox.retention", retention, Duration.ofSeconds(1), Duration.ofDays(3650));
    }

    /** The defaults: disabled, 14 days. */
    public static InboxPurgeConfig ofDefaults() {
        return new InboxPurgeConfig(false, Duration.ofDays(14));
    }

    /** An enabled purge with the given retention. */
    public static InboxPurgeConfig enabled(Duration retention) {
        return new InboxPurgeConfig(true, retention);
    }
}
