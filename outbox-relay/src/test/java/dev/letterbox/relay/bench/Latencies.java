package dev.letterbox.relay.bench;

import java.util.Arrays;
import java.util.Map;
import java.util.UUID;

/**
 * Commit-to-consumer latencies of one run, sorted, and how many committed events never arrived.
 * Immutable (do not write to the array) and thread-safe.
 *
 * @param sorted nanoseconds from a writer's commit to the consumer's receipt, ascending
 * @param lost   committed events the consumer did not receive
 */
record Latencies(long[] sorted, int lost) {

    /** Pairs each commit time ({@link System#nanoTime()}) with the same event's receipt time. */
    static Latencies of(Map<UUID, Long> commits, Map<UUID, Long> received) {
        long[] lat = new long[commits.size()];
        int i = 0;
        int lost = 0;
        for (Map.Entry<UUID, Long> e : commits.entrySet()) {
            Long got = received.get(e.getKey());
            if (got == null) {
                lost++;
            } else {
                lat[i++] = got - e.getValue();
            }
        }
        lat = Arrays.copyOf(lat, i);
        Arrays.sort(lat);
        return new Latencies(lat, lost);
    }

    /** The percentile in milliseconds (nearest rank); 0 when nothing arrived. */
    double percentileMillis(double percentile) {
        return LatencyBenchmark.ms(LatencyBenchmark.pct(sorted, percentile));
    }

    /** The largest latency in milliseconds; 0 when nothing arrived. */
    double maxMillis() {
        return sorted.length == 0 ? 0 : LatencyBenchmark.ms(sorted[sorted.length - 1]);
    }
}
