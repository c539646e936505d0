package dev.letterbox.relay.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code key=value} arguments of a benchmark main, with defaults; unknown keys are refused so a
 * typo does not silently run the defaults. Not thread-safe.
 */
final class BenchArgs {

    private final Map<String, String> values = new LinkedHashMap<>();
    private final Map<String, String> used = new LinkedHashMap<>();

    private BenchArgs(String[] args) {
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("arguments are key=value, was '" + a + "'");
            }
            values.put(a.substring(0, eq).strip(), a.substring(eq + 1).strip());
        }
    }

    static BenchArgs parse(String[] args) {
        return new BenchArgs(args);
    }

    String string(String key, String def) {
        String v = values.getOrDefault(key, def);
        used.put(key, v);
        return v;
    }

    int integer(String key, int def) {
        return Integer.parseInt(string(key, Integer.toString(def)).replace("_", ""));
    }

    boolean bool(String key, boolean def) {
        return Boolean.parseBoolean(string(key, Boolean.toString(def)));
    }

    Duration duration(String key, String def) {
        return parseDuration(string(key, def));
    }

    List<Integer> integers(String key, String def) {
        List<Integer> out = new ArrayList<>();
        for (String s : string(key, def).split(",")) {
            out.add(Integer.parseInt(s.strip().replace("_", "")));
        }
        return out;
    }

    List<String> list(String key, String def) {
        List<String> out = new ArrayList<>();
        for (String s : string(key, def).split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        return out;
    }

    /** {@code 250ms}, {@code 5s}, {@code 2m} or a plain number of milliseconds. */
    static Duration parseDuration(String s) {
        String v = s.strip().toLowerCase();
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofMillis((long) (Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
        }
        return Duration.ofMillis(Long.parseLong(v));
    }

    /** Fails on keys no getter asked for; returns the effective arguments for the report. */
    String checkedSummary() {
        for (String k : values.keySet()) {
            if (!used.containsKey(k)) {
                throw new IllegalArgumentException("unknown argument '" + k + "'; known: " + used.keySet());
            }
        }
        StringBuilder sb = new StringBuilder();
        used.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }
}
