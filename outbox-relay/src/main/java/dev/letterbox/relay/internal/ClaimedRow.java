package dev.letterbox.relay.internal;

import dev.letterbox.relay.spi.OutboxRecord;

/**
 * A PENDING row read by a claim: the record plus what marking it needs.
 *
 * @param seq      the row's insertion sequence (claim order)
 * @param shard    the row's shard, 0..63
 * @param attempts failed attempts so far
 * @param record   the event
 */
public record ClaimedRow(long seq, int shard, int attempts, OutboxRecord record) {
}
