package dev.letterbox.relay.service.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Regression (issue 11, item 15): replay's progress wrote {@code \r} into non-terminals and had no ETA. */
class ProgressBarTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong();

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void writesPlainLinesAtMostEveryFiveSecondsWithAnEstimateWhenNotOnATerminal() {
        ProgressBar bar = new ProgressBar(out, "queued", 1000, false, clock::get);

        clock.set(2_000_000_000L);
        bar.update(100, false);
        clock.set(3_000_000_000L);
        bar.update(150, true);          // within 5 s of the last line: not drawn
        clock.set(7_500_000_000L);
        bar.update(500, false);
        bar.finish(1000);

        assertThat(printed()).doesNotContain("\r");
        assertThat(printed().lines()).containsExactly(
                "[###...........................]  10% 100/1000 queued, eta 18s",
                "[###############...............]  50% 500/1000 queued, eta 7.5s",
                "[##############################] 100% 1000/1000 queued");
    }

    @Test
    void redrawsOneLineInPlaceOnATerminal() {
        ProgressBar bar = new ProgressBar(out, "published", 10, true, clock::get);

        clock.set(1_000_000_000L);
        bar.update(5, true);
        bar.finish(10);

        assertThat(printed()).isEqualTo("\r[###############...............]  50% 5/10 published, eta 1s"
                + "\r[##############################] 100% 10/10 published" + System.lineSeparator());
    }
}
