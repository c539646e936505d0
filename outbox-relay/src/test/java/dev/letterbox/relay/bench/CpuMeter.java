package dev.letterbox.relay.bench;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Where the machine's CPU time went between two readings: this JVM (relay, in-process broker and
 * harness), the PostgreSQL server's processes, and everything else (other builds on a shared
 * machine). Reads {@code /proc} (Linux); elsewhere it reports "unknown". Not thread-safe.
 */
final class CpuMeter {

    private final Reading start;

    private CpuMeter(Reading start) {
        this.start = start;
    }

    /** Starts measuring now. */
    static CpuMeter start() {
        return new CpuMeter(Reading.now());
    }

    /**
     * The split since {@link #start()}: machine busy share, then CPU milliseconds per 1,000 events
     * of this JVM and of PostgreSQL, then the share of the machine taken by other processes.
     */
    String since(long events) {
        Reading end = Reading.now();
        if (start == null || end == null) {
            return "cpu unknown";
        }
        double totalTicks = end.total - start.total;
        if (totalTicks <= 0) {
            return "cpu unknown";
        }
        double busy = 1 - (end.idle - start.idle) / totalTicks;
        double jvmMs = (end.jvmNanos - start.jvmNanos) / 1e6;
        double pgMs = (end.postgresTicks - start.postgresTicks) / ProcStat.TICKS_PER_SECOND * 1000;
        double busyMs = (totalTicks - (end.idle - start.idle)) / ProcStat.TICKS_PER_SECOND * 1000;
        double otherShare = Math.max(0, busyMs - jvmMs - pgMs) / (totalTicks / ProcStat.TICKS_PER_SECOND * 1000);
        return String.format(Locale.ROOT, "cpu busy %.0f%%, per 1k events: jvm %.0f ms, postgres %.0f ms; others %.0f%%",
                100 * busy, jvmMs * 1000 / Math.max(1, events), pgMs * 1000 / Math.max(1, events), 100 * otherShare);
    }

    private record Reading(long total, long idle, long jvmNanos, long postgresTicks) {

        static Reading now() {
            long[] machine = ProcStat.machine();
            if (machine == null) {
                return null;
            }
            long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            long postgres = 0;
            for (ProcStat p : ProcStat.all()) {
                if (p.comm().equals("postgres")) {
                    postgres += p.ticks();
                }
            }
            return new Reading(machine[0], machine[1], jvm, postgres);
        }
    }
}
