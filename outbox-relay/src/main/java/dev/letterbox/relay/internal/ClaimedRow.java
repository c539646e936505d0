package dev.letterbox.relay.internal;

import dev.letterbox.relay.spi.OutboxRecord;

/**
 * A PENDING row read by a claim: the record plus what marking it needs.
 *
 * @param seq      the row's insertion sequence (claim order)
 * @param shard    the row's shard, 0..63
 * @param attempts failed attempts so far
 * @param record   the event (with no headers when {@code defect} says they could not be read)
 * @param defect   why the row cannot be published as it is (e.g. its {@code headers} column is not
 *                 a JSON object), or null: a defective row is parked at once, never sent
 */
public record ClaimedRow(long seq, int shard, int attempts, OutboxRecord record, String defect) {

    /** A row that can be published. */
    public ClaimedRow(long seq, int shard, int attempts, OutboxRecord record) {
        this(seq, shard, attempts, record, null);
    }
}
