package dev.letterbox.relay.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of this JVM's threads at one moment, by who they work for, from {@link ThreadMXBean}
 * per thread; the JVM's own work (GC, JIT compilers) is the process's CPU time not spent in any
 * Java thread. A thread that ends between two readings takes its CPU time with it (counted in
 * {@link Group#JVM} then). Immutable and thread-safe.
 */
final class ThreadCpu {

    /** Who a thread works for, by its name. */
    enum Group {
        /** The relay's own threads: {@code outbox-relay-*} (pollers, their claim and mark helpers, leases, metrics, cleanup). */
        RELAY("relay threads"),
        /** The relay producers' I/O threads: {@code kafka-producer-network-thread | outbox-relay-*}. */
        RELAY_PRODUCER("relay producer I/O"),
        /** The relay pools' housekeeping: {@code bench-relay-*} (HikariCP pool names). */
        RELAY_POOL("relay pool"),
        /** The load: {@code bench-writer-*}. */
        WRITERS("writers"),
        /** The measuring consumer: {@code bench-topic-reader}. */
        CONSUMER("consumer"),
        /** Every other Java thread: the in-process broker, mostly, and the harness. */
        BROKER_AND_HARNESS("broker + harness"),
        /** Process CPU time outside Java threads: GC, JIT compilers, the VM. */
        JVM("gc/jit/vm");

        final String label;

        Group(String label) {
            this.label = label;
        }

        static Group of(String name) {
            if (name.startsWith("outbox-relay")) {
                return RELAY;
            }
            if (name.startsWith("kafka-producer-network-thread | outbox-relay-")) {
                return RELAY_PRODUCER;
            }
            if (name.startsWith("bench-relay-")) {
                return RELAY_POOL;
            }
            if (name.startsWith("bench-writer-")) {
                return WRITERS;
            }
            if (name.startsWith("bench-topic-reader")) {
                return CONSUMER;
            }
            return BROKER_AND_HARNESS;
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final long processNanos;
    private final Map<Long, Long> nanosByThread;
    private final Map<Long, Group> groupByThread;

    private ThreadCpu(long processNanos, Map<Long, Long> nanosByThread, Map<Long, Group> groupByThread) {
        this.processNanos = processNanos;
        this.nanosByThread = nanosByThread;
        this.groupByThread = groupByThread;
    }

    /** Reads every live thread's CPU time now. */
    static ThreadCpu now() {
        Map<Long, Long> nanos = new HashMap<>();
        Map<Long, Group> groups = new HashMap<>();
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long cpu = THREADS.getThreadCpuTime(info.getThreadId());
            if (cpu >= 0) {
                nanos.put(info.getThreadId(), cpu);
                groups.put(info.getThreadId(), Group.of(info.getThreadName()));
            }
        }
        long process = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        return new ThreadCpu(process, nanos, groups);
    }

    /** CPU nanoseconds per group from {@code start} to this reading; threads started since count in full. */
    Map<Group, Long> since(ThreadCpu start) {
        Map<Group, Long> out = new EnumMap<>(Group.class);
        for (Group g : Group.values()) {
            out.put(g, 0L);
        }
        long threads = 0;
        for (Map.Entry<Long, Long> e : nanosByThread.entrySet()) {
            long delta = e.getValue() - start.nanosByThread.getOrDefault(e.getKey(), 0L);
            out.merge(groupByThread.get(e.getKey()), delta, Long::sum);
            threads += delta;
        }
        out.put(Group.JVM, Math.max(0, processNanos - start.processNanos - threads));
        return out;
    }

    /** This JVM's CPU nanoseconds from {@code start} to this reading. */
    long processNanosSince(ThreadCpu start) {
        return processNanos - start.processNanos;
    }
}
