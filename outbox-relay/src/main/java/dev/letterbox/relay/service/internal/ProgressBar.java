package dev.letterbox.relay.service.internal;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Progress on standard error with an estimate of the time left. On a terminal, one line redrawn in
 * place at most ten times a second ({@code [#####.....] 50% 500/1000 queued, eta 4s}); elsewhere
 * (a log file, a pipe, CI) one plain line at most every 5 seconds, with no carriage return.
 * Regression (issue 11, item 15): replay's bar wrote {@code \r} into non-terminals and had no ETA.
 *
 * <p>Not thread-safe.
 */
public final class ProgressBar {

    private static final int WIDTH = 30;
    private static final long TERMINAL_REDRAW_NS = 100_000_000L;
    private static final long PLAIN_LINE_NS = 5_000_000_000L;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean terminal;
    private final LongSupplier nanoTime;
    private final long started;
    private long lastDraw = Long.MIN_VALUE;

    /** A bar for {@code total} units, described by {@code label}, redrawn in place when standard error is a terminal. */
    public ProgressBar(PrintStream out, String label, long total) {
        this(out, label, total, System.console() != null, System::nanoTime);
    }

    /**
     * A bar with an explicit output kind and clock, for tests.
     *
     * @param terminal true to redraw one line in place, false for plain lines
     * @param nanoTime the clock, in nanoseconds
     */
    ProgressBar(PrintStream out, String label, long total, boolean terminal, LongSupplier nanoTime) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
        this.terminal = terminal;
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
    }

    /** Shows {@code done} of the total; skips redraws closer than the interval unless {@code force}. */
    public void update(long done, boolean force) {
        long now = nanoTime.getAsLong();
        if (!force && lastDraw != Long.MIN_VALUE && now - lastDraw < (terminal ? TERMINAL_REDRAW_NS : PLAIN_LINE_NS)) {
            return;
        }
        if (!terminal && force && lastDraw != Long.MIN_VALUE && now - lastDraw < PLAIN_LINE_NS && done < total) {
            return;
        }
        lastDraw = now;
        int filled = (int) Math.min(WIDTH, done * WIDTH / total);
        String line = "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                + String.format("%3d%% %d/%d %s%s", Math.min(100, done * 100 / total), done, total, label, eta(done, now));
        if (terminal) {
            out.print("\r" + line);
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** {@code ", eta 12s"} from the pace so far; empty before the first unit or when done. */
    private String eta(long done, long now) {
        if (done <= 0 || done >= total) {
            return "";
        }
        double secondsLeft = (now - started) / 1e9 / done * (total - done);
        return ", eta " + Durations.human(secondsLeft).replace(".0 s", "s").replace(" s", "s");
    }

    /** Draws the final state and, on a terminal, ends the line. */
    public void finish(long done) {
        lastDraw = Long.MIN_VALUE;
        update(done, true);
        if (terminal) {
            out.println();
        }
    }
}
