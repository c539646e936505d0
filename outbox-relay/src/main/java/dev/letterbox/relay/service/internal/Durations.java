package dev.letterbox.relay.service.internal;

import java.util.Locale;

/**
 * Ages and durations as an operator reads them: {@code 6.7 s}, {@code 12m 5s}, {@code 5h 3m},
 * {@code 2d 3h}. Regression (issue 11, item 10): {@code status} printed {@code 183605.3 s}.
 *
 * <p>Stateless and thread-safe.
 */
final class Durations {

    private Durations() {
    }

    /** {@code seconds} in the two largest units that matter, or {@code -} for null. */
    static String human(Double seconds) {
        if (seconds == null || seconds.isNaN()) {
            return "-";
        }
        double s = Math.max(0, seconds);
        if (s < 60) {
            return String.format(Locale.ROOT, "%.1f s", s);
        }
        long whole = (long) s;
        long days = whole / 86_400;
        long hours = whole % 86_400 / 3_600;
        long minutes = whole % 3_600 / 60;
        if (days > 0) {
            return days + "d " + hours + "h";
        }
        if (hours > 0) {
            return hours + "h " + minutes + "m";
        }
        return minutes + "m " + whole % 60 + "s";
    }
}
