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
 * @param held     log mode: the row waits behind a PARKED event of its aggregate, so it is parked
 *                 too (with {@code defect} saying why), never sent, and keeps its order on retry
 */
public record ClaimedRow(long seq, int shard, int attempts, OutboxRecord record, String defect, boolean held) {

    /** A row, possibly defective, not held. */
    public ClaimedRow(long seq, int shard, int attempts, OutboxRecord record, String defect) {
        this(seq, shard, attempts, record, defect, false);
    }

    /** A row that can be published. */
    public ClaimedRow(long seq, int shard, int attempts, OutboxRecord record) {
        this(seq, shard, attempts, record, null);
    }
}
