package dev.letterbox.relay.service.internal;

import java.io.PrintStream;

/**
 * A one-line progress bar on standard error ({@code [#####.....] 50% 500/1000 label}), redrawn
 * at most ten times a second. Not thread-safe.
 */
public final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long total;
    private long lastDraw;

    /** A bar for {@code total} units, described by {@code label}. */
    public ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
    }

    /** Shows {@code done} of the total; skips redraws closer than 100 ms unless {@code force}. */
    public void update(long done, boolean force) {
        long now = System.nanoTime();
        if (!force && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        int filled = (int) Math.min(WIDTH, done * WIDTH / total);
        out.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
                + String.format("%3d%% %d/%d %s", Math.min(100, done * 100 / total), done, total, label));
        out.flush();
    }

    /** Draws the final state and ends the line. */
    public void finish(long done) {
        update(done, true);
        out.println();
    }
}
