package dev.letterbox.relay.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code /proc/<pid>/stat} (Linux): the process's name, parent and CPU times in clock
 * ticks, its own and that of its children already reaped. Immutable and thread-safe.
 *
 * @param pid    process id
 * @param comm   process name, at most 15 characters
 * @param ppid   parent's process id
 * @param ticks  user + system ticks of the process itself
 * @param reaped user + system ticks of its children that exited and were waited for
 */
record ProcStat(int pid, String comm, int ppid, long ticks, long reaped) {

    /** Clock ticks per second of {@code /proc} times ({@code USER_HZ}, 100 on Linux). */
    static final double TICKS_PER_SECOND = 100.0;

    /** The process, or null when it does not exist (any more) or {@code /proc} cannot be read. */
    static ProcStat read(int pid) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc", Integer.toString(pid), "stat"));
        } catch (IOException | RuntimeException gone) {
            return null;
        }
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < 0) {
            return null;
        }
        // after ") ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime
        String[] f = stat.substring(close + 2).split(" ");
        return new ProcStat(pid, stat.substring(open + 1, close), Integer.parseInt(f[1]),
                Long.parseLong(f[11]) + Long.parseLong(f[12]), Long.parseLong(f[13]) + Long.parseLong(f[14]));
    }

    /** Every live process; empty when {@code /proc} cannot be listed. */
    static List<ProcStat> all() {
        List<ProcStat> out = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                ProcStat s = read(Integer.parseInt(p.getFileName().toString()));
                if (s != null) {
                    out.add(s);
                }
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return out;
    }

    /** The machine's total and idle (idle + iowait) ticks since boot, from {@code /proc/stat}; null if unreadable. */
    static long[] machine() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < cpu.length; i++) {
                total += Long.parseLong(cpu[i]);
            }
            return new long[] {total, Long.parseLong(cpu[4]) + Long.parseLong(cpu[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Ticks as milliseconds. */
    static double millis(long ticks) {
        return ticks / TICKS_PER_SECOND * 1000;
    }
}
