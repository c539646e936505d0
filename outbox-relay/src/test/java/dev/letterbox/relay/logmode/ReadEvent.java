package dev.letterbox.relay.logmode;

/**
 * One event as a {@link Reader} returned it: the row's {@code seq}, its aggregate and its number
 * within that aggregate (1, 2, 3... in commit order).
 *
 * <p>Immutable, so thread-safe.
 *
 * @param seq the row's sequence value, as stored
 * @param aggregate the aggregate the event belongs to, for example {@code a17}
 * @param n the event's number within its aggregate, from 1
 */
public record ReadEvent(long seq, String aggregate, int n) {
}
