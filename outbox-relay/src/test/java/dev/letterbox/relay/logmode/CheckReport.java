package dev.letterbox.relay.logmode;

import dev.letterbox.relay.logmode.CommitHistory.Written;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a {@link CommitHistoryChecker} run found when it compared what a reader read with what the
 * writers committed.
 *
 * <p>Immutable, so thread-safe.
 *
 * @param reader the reader's name
 * @param committed events in committed transactions
 * @param rolledBack events in rolled-back transactions
 * @param read events the reader returned, repeats included
 * @param lost committed events never read
 * @param rolledBackRead events of rolled-back transactions that were read
 * @param unknownRead events read that no writer of the run wrote
 * @param mismatched events read whose aggregate or number differ from what was written with that seq
 * @param inversions events read after a later event of the same aggregate (first reads only)
 * @param duplicates reads of a seq read before
 * @param atLeastOnce whether the reader declared that it may repeat events (then duplicates pass)
 * @param lostSample up to 10 lost seqs, lowest first
 * @param inversionSample up to 10 inversions, as {@code aggregate:n@seq after n}
 * @param writing how long the writers ran
 * @param draining how long the reader ran after the writers ended
 * @param polls how many times the reader was polled
 */
public record CheckReport(String reader, int committed, int rolledBack, int read, int lost, int rolledBackRead,
        int unknownRead, int mismatched, int inversions, int duplicates, boolean atLeastOnce, List<Long> lostSample,
        List<String> inversionSample, Duration writing, Duration draining, long polls) {

    /** Compares {@code reads}, in read order, with what the writers committed and rolled back. */
    static CheckReport of(String reader, boolean atLeastOnce, Map<Long, Written> committed,
            Map<Long, Written> rolledBack, List<ReadEvent> reads, Duration writing, Duration draining, long polls) {
        Set<Long> seen = new HashSet<>();
        Map<String, Integer> lastN = new HashMap<>();
        int rolledBackRead = 0;
        int unknown = 0;
        int mismatched = 0;
        int inversions = 0;
        int duplicates = 0;
        List<String> inversionSample = new ArrayList<>();
        for (ReadEvent event : reads) {
            if (!seen.add(event.seq())) {
                duplicates++;
                continue;
            }
            Written written = committed.get(event.seq());
            if (written == null) {
                if (rolledBack.containsKey(event.seq())) {
                    rolledBackRead++;
                } else {
                    unknown++;
                }
            } else if (!written.aggregate().equals(event.aggregate()) || written.n() != event.n()) {
                mismatched++;
            } else {
                Integer last = lastN.get(event.aggregate());
                if (last != null && event.n() <= last) {
                    inversions++;
                    if (inversionSample.size() < 10) {
                        inversionSample.add(event.aggregate() + ":" + event.n() + "@" + event.seq() + " after " + last);
                    }
                } else {
                    lastN.put(event.aggregate(), event.n());
                }
            }
        }
        TreeSet<Long> lost = new TreeSet<>(committed.keySet());
        lost.removeAll(seen);
        return new CheckReport(reader, committed.size(), rolledBack.size(), reads.size(), lost.size(), rolledBackRead,
                unknown, mismatched, inversions, duplicates, atLeastOnce, lost.stream().limit(10).toList(),
                inversionSample, writing, draining, polls);
    }

    /** Whether every committed event was read, nothing else, each aggregate in order, repeats only if allowed. */
    public boolean passed() {
        return lost == 0 && rolledBackRead == 0 && unknownRead == 0 && mismatched == 0 && inversions == 0
                && (atLeastOnce || duplicates == 0);
    }

    /** Returns a one-line summary with every count, for logs and assertion messages. */
    public String summary() {
        return String.format("reader=%s passed=%s committed=%d rolledBack=%d read=%d lost=%d rolledBackRead=%d"
                        + " unknownRead=%d mismatched=%d inversions=%d duplicates=%d%s lostSample=%s"
                        + " inversionSample=%s writingMs=%d drainingMs=%d polls=%d",
                reader, passed(), committed, rolledBack, read, lost, rolledBackRead, unknownRead, mismatched, inversions,
                duplicates, atLeastOnce ? " (at-least-once)" : "", lostSample, inversionSample, writing.toMillis(),
                draining.toMillis(), polls);
    }
}
