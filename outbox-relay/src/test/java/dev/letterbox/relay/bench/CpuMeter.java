package dev.letterbox.relay.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where the machine's CPU time went between two readings: this JVM (relay, in-process broker and
 * harness), the PostgreSQL server's processes, and everything else (other builds on a shared
 * machine). Reads {@code /proc} (Linux); elsewhere it reports "unknown". Not thread-safe.
 */
final class CpuMeter {

    /** Clock ticks per second of {@code /proc} times ({@code USER_HZ}, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100.0;

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
        double pgMs = (end.postgresTicks - start.postgresTicks) / TICKS_PER_SECOND * 1000;
        double busyMs = (totalTicks - (end.idle - start.idle)) / TICKS_PER_SECOND * 1000;
        double otherShare = Math.max(0, busyMs - jvmMs - pgMs) / (totalTicks / TICKS_PER_SECOND * 1000);
        return String.format(Locale.ROOT, "cpu busy %.0f%%, per 1k events: jvm %.0f ms, postgres %.0f ms; others %.0f%%",
                100 * busy, jvmMs * 1000 / Math.max(1, events), pgMs * 1000 / Math.max(1, events), 100 * otherShare);
    }

    private record Reading(long total, long idle, long jvmNanos, long postgresTicks) {

        static Reading now() {
            try {
                String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long total = 0;
                for (int i = 1; i < cpu.length; i++) {
                    total += Long.parseLong(cpu[i]);
                }
                long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
                long jvm = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                        .getProcessCpuTime();
                return new Reading(total, idle, jvm, sumPostgresTicks());
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        /** User and system ticks of every live process named {@code postgres}. */
        private static long sumPostgresTicks() throws IOException {
            long ticks = 0;
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path p : procs) {
                    String stat;
                    try {
                        stat = Files.readString(p.resolve("stat"));
                    } catch (IOException gone) {
                        continue;
                    }
                    int open = stat.indexOf('(');
                    int close = stat.lastIndexOf(')');
                    if (open < 0 || close < 0 || !stat.substring(open + 1, close).equals("postgres")) {
                        continue;
                    }
                    String[] f = stat.substring(close + 2).split(" ");
                    ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                }
            }
            return ticks;
        }
    }
}
