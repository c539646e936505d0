package dev.letterbox.relay.internal;

import dev.letterbox.relay.PublishException;
import dev.letterbox.relay.spi.PublishResult;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What to do with a sent batch, rows in claim order: mark the acknowledged rows, except every row
 * of an aggregate after its first failure in the batch (those are sent again later, in order);
 * record the permanent failures; count the retriable ones.
 *
 * @param toMark           acknowledged rows that may be marked PUBLISHED
 * @param permanent        rows that failed with a permanent error, with that error
 * @param retriableFailures number of rows that failed with a retriable error
 * @param heldBack         acknowledged rows not marked because an earlier row of their aggregate failed
 * @param firstRetriableError the message of the first retriable error, or null
 */
record BatchOutcome(List<ClaimedRow> toMark, List<Failed> permanent, int retriableFailures, int heldBack,
                    String firstRetriableError) {

    /** A row that failed, with its classified error. */
    record Failed(ClaimedRow row, PublishException error) {
    }

    /**
     * Classifies a batch.
     *
     * @param rows    the claimed rows, in claim order
     * @param results each row's outcome, in the same order; null for a row that was not sent
     *                because an earlier row of its aggregate was refused
     */
    static BatchOutcome of(List<ClaimedRow> rows, List<PublishResult> results) {
        List<ClaimedRow> toMark = new ArrayList<>(rows.size());
        List<Failed> permanent = new ArrayList<>();
        Set<String> blocked = new HashSet<>();
        int retriable = 0;
        int heldBack = 0;
        String firstRetriable = null;
        for (int i = 0; i < rows.size(); i++) {
            ClaimedRow row = rows.get(i);
            PublishResult result = results.get(i);
            String aggregate = row.record().aggregateKey();
            if (result == null) {
                // not sent: an earlier event of its aggregate in this batch was refused
                heldBack++;
                continue;
            }
            if (result instanceof PublishResult.Failed f) {
                if (f.error().retriable() && firstRetriable == null) {
                    firstRetriable = f.error().getMessage();
                }
                if (blocked.add(aggregate)) {
                    if (f.error().retriable()) {
                        retriable++;
                    } else {
                        permanent.add(new Failed(row, f.error()));
                    }
                } else if (f.error().retriable()) {
                    retriable++;
                }
            } else if (blocked.contains(aggregate)) {
                heldBack++;
            } else {
                toMark.add(row);
            }
        }
        return new BatchOutcome(toMark, permanent, retriable, heldBack, firstRetriable);
    }
}
