package dev.letterbox.relay.logmode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the writers of a {@link CommitHistoryChecker} run did: the seq, aggregate and number of
 * every event in a committed transaction and of every event in a rolled-back one.
 *
 * <p>Thread-safe: writers record concurrently while the reader runs.
 */
final class CommitHistory {

    /** One written event: its aggregate and its number within the aggregate. */
    record Written(String aggregate, int n) {
    }

    private final Map<Long, Written> committed = new ConcurrentHashMap<>();
    private final Map<Long, Written> rolledBack = new ConcurrentHashMap<>();

    /** Records a committed transaction's events: {@code seqs.get(i)} holds number {@code firstN + i}. */
    void committed(String aggregate, List<Long> seqs, int firstN) {
        record(committed, aggregate, seqs, firstN);
    }

    /** Records a rolled-back transaction's events, as {@link #committed}. */
    void rolledBack(String aggregate, List<Long> seqs, int firstN) {
        record(rolledBack, aggregate, seqs, firstN);
    }

    /** Returns the committed events by seq: a snapshot, complete once the writers have ended. */
    Map<Long, Written> committed() {
        return Map.copyOf(committed);
    }

    /** Returns the rolled-back events by seq: a snapshot, complete once the writers have ended. */
    Map<Long, Written> rolledBack() {
        return Map.copyOf(rolledBack);
    }

    /**
     * Checks the writers themselves: each aggregate's committed numbers must be exactly 1..k (the
     * aggregate lock serialised them); returns the aggregates where they are not, with their numbers.
     */
    Map<String, List<Integer>> aggregatesWithGaps() {
        Map<String, List<Integer>> numbers = new HashMap<>();
        committed.values().forEach(w -> numbers.computeIfAbsent(w.aggregate(), a -> new ArrayList<>()).add(w.n()));
        Map<String, List<Integer>> broken = new HashMap<>();
        numbers.forEach((aggregate, ns) -> {
            ns.sort(null);
            for (int i = 0; i < ns.size(); i++) {
                if (ns.get(i) != i + 1) {
                    broken.put(aggregate, ns);
                    return;
                }
            }
        });
        return broken;
    }

    private static void record(Map<Long, Written> into, String aggregate, List<Long> seqs, int firstN) {
        for (int i = 0; i < seqs.size(); i++) {
            Written previous = into.put(seqs.get(i), new Written(aggregate, firstN + i));
            if (previous != null) {
                throw new IllegalStateException("seq " + seqs.get(i) + " was drawn twice: for " + previous
                        + " and for aggregate=" + aggregate + " n=" + (firstN + i)
                        + "; is the sequence CACHE 1 and never reset?");
            }
        }
    }
}
