package dev.letterbox.relay.service.internal;

import dev.letterbox.outbox.InvalidConfigurationException;
import dev.letterbox.outbox.OutboxTables;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The type of a configuration value: how its text is parsed, how it is shown, and how it is
 * described in the configuration reference.
 *
 * <p>Instances are immutable and thread-safe.
 *
 * @param <T> the Java type of a parsed value
 */
public final class ValueType<T> {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final String description;
    private final Function<String, T> parser;
    private final Function<T, String> formatter;
    private final java.util.Set<String> placeholders;
    private final boolean emptyIsAValue;

    private ValueType(String description, Function<String, T> parser, Function<T, String> formatter) {
        this(description, parser, formatter, java.util.Set.of(), false);
    }

    private ValueType(String description, Function<String, T> parser, Function<T, String> formatter,
                      java.util.Set<String> placeholders) {
        this(description, parser, formatter, placeholders, false);
    }

    private ValueType(String description, Function<String, T> parser, Function<T, String> formatter,
                      java.util.Set<String> placeholders, boolean emptyIsAValue) {
        this.description = description;
        this.parser = parser;
        this.formatter = formatter;
        this.placeholders = placeholders;
        this.emptyIsAValue = emptyIsAValue;
    }

    /**
     * Whether an explicit empty text ({@code key: ""}) is a value of this type rather than "unset,
     * use the default"; true only where the empty value means something (no table prefix).
     */
    public boolean emptyIsAValue() {
        return emptyIsAValue;
    }

    /** Text in which {@code ${name}} for the given names is a placeholder kept as is, not an environment variable. */
    public static ValueType<String> template(String... placeholders) {
        return new ValueType<>("template", s -> s, s -> s, java.util.Set.of(placeholders));
    }

    /** Names written as {@code ${name}} that are kept for the receiving component, not substituted. */
    public java.util.Set<String> placeholders() {
        return placeholders;
    }

    /** Free text. */
    public static ValueType<String> string() {
        return new ValueType<>("string", s -> s, s -> s);
    }

    /** A whole number between {@code min} and {@code max}, both inclusive. */
    public static ValueType<Integer> integer(int min, int max) {
        String range = min == Integer.MIN_VALUE ? "" : max == Integer.MAX_VALUE ? " >= " + min : " " + min + ".." + max;
        return new ValueType<>("integer" + range, s -> {
            int value;
            try {
                value = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a whole number, was '" + s + "'");
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException("must be " + (max == Integer.MAX_VALUE
                        ? "at least " + min : "between " + min + " and " + max) + ", was " + value);
            }
            return value;
        }, String::valueOf);
    }

    /** Any whole number; the component that receives it checks the range. */
    public static ValueType<Integer> integer() {
        return integer(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** Any decimal number; the component that receives it checks the range. */
    public static ValueType<Double> decimal() {
        return decimal(-Double.MAX_VALUE, Double.MAX_VALUE);
    }

    /** A decimal number between {@code min} and {@code max}, both inclusive. */
    public static ValueType<Double> decimal(double min, double max) {
        return new ValueType<>(min == -Double.MAX_VALUE ? "decimal" : "decimal " + min + ".." + max, s -> {
            double value;
            try {
                value = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("must be a number, was '" + s + "'");
            }
            if (!(value >= min && value <= max)) {
                throw new IllegalArgumentException("must be between " + min + " and " + max + ", was " + value);
            }
            return value;
        }, String::valueOf);
    }

    /**
     * The schema of the outbox tables, checked by {@link OutboxTables} itself (lower-case SQL
     * identifier, at most {@value OutboxTables#MAX_SCHEMA_LENGTH} characters), so the loader accepts
     * exactly what the tables accept.
     */
    public static ValueType<String> schemaName() {
        return new ValueType<>("lower-case identifier, at most " + OutboxTables.MAX_SCHEMA_LENGTH + " characters", s -> tableRule(() -> OutboxTables.of(s, OutboxTables.DEFAULT_PREFIX)).schema(),
                s -> s);
    }

    /**
     * The prefix of the outbox table names, checked by {@link OutboxTables} itself (lower-case SQL
     * identifier, at most {@value OutboxTables#MAX_PREFIX_LENGTH} characters).
     */
    public static ValueType<String> tablePrefix() {
        return new ValueType<>("lower-case identifier, at most " + OutboxTables.MAX_PREFIX_LENGTH + " characters, or \"\""
                + " for none", s -> tableRule(() -> OutboxTables.of(null, s)).prefix(), s -> s, java.util.Set.of(), true);
    }

    /**
     * Runs {@code build} and turns {@link OutboxTables}' refusal into the binder's form: the rule
     * and the value, without OutboxTables' own property name (the binder puts the key's path first).
     */
    private static OutboxTables tableRule(Supplier<OutboxTables> build) {
        try {
            return build.get();
        } catch (InvalidConfigurationException e) {
            String message = e.getMessage();
            String own = e.property() + " ";
            throw new IllegalArgumentException(message.startsWith(own) ? message.substring(own.length()) : message, e);
        }
    }

    /** A constant of {@code type}, written in lower case with '-' for '_' (e.g. {@code hold-aggregate}). */
    public static <E extends Enum<E>> ValueType<E> enumOf(Class<E> type) {
        E[] constants = type.getEnumConstants();
        List<String> words = java.util.Arrays.stream(constants).map(ValueType::word).toList();
        return new ValueType<>("one of " + String.join(", ", words), s -> {
            String v = s.trim().toLowerCase(Locale.ROOT).replace('_', '-');
            for (E constant : constants) {
                if (word(constant).equals(v)) {
                    return constant;
                }
            }
            throw new IllegalArgumentException("must be one of " + String.join(", ", words) + ", was '" + s + "'");
        }, ValueType::word);
    }

    private static String word(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code true} or {@code false}. */
    public static ValueType<Boolean> bool() {
        return new ValueType<>("boolean", s -> {
            String v = s.trim().toLowerCase(Locale.ROOT);
            if (v.equals("true")) {
                return true;
            }
            if (v.equals("false")) {
                return false;
            }
            throw new IllegalArgumentException("must be true or false, was '" + s + "'");
        }, String::valueOf);
    }

    /** A duration such as {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, {@code 7d} or ISO-8601 {@code PT5S}. */
    public static ValueType<Duration> duration() {
        return new ValueType<>("duration", ValueType::parseDuration, ValueType::formatDuration);
    }

    /** One of a fixed set of lower-case words. */
    public static ValueType<String> oneOf(String... values) {
        List<String> allowed = List.of(values);
        return new ValueType<>("one of " + String.join(", ", allowed), s -> {
            String v = s.trim().toLowerCase(Locale.ROOT);
            if (!allowed.contains(v)) {
                throw new IllegalArgumentException("must be one of " + String.join(", ", allowed) + ", was '" + s + "'");
            }
            return v;
        }, s -> s);
    }

    /**
     * A log level name, TRACE, DEBUG, INFO, WARN, ERROR or OFF in any case, parsed to upper case.
     * Regression: Logback reads any other word as "no level", so a misspelt level silently made the
     * logger inherit its parent's.
     */
    public static ValueType<String> logLevel() {
        String names = String.join(", ", LogLevels.LEVELS.subList(0, LogLevels.LEVELS.size() - 1)) + " or "
                + LogLevels.LEVELS.get(LogLevels.LEVELS.size() - 1);
        return new ValueType<>("log level: " + names + " (any case)", s -> {
            String v = s.trim().toUpperCase(Locale.ROOT);
            if (!LogLevels.LEVELS.contains(v)) {
                throw new IllegalArgumentException("must be a log level, one of " + names + " (any case), was '" + s + "'");
            }
            return v;
        }, s -> s);
    }

    /**
     * A JDBC URL that a driver in the jar accepts and can parse (checked without connecting); see
     * {@link JdbcUrls#check}.
     */
    public static ValueType<String> jdbcUrl() {
        return new ValueType<>("JDBC URL (jdbc:postgresql:, jdbc:mariadb:, jdbc:mysql: or jdbc:h2:)", JdbcUrls::check,
                s -> s);
    }

    /**
     * A local address to listen on, resolved when the file is loaded. Regression: an address that
     * does not resolve passed {@code config check}, then {@code run} ended with exit code 1.
     */
    public static ValueType<String> bindAddress() {
        return new ValueType<>("address of this machine (IP or host name)", s -> {
            String v = s.trim();
            try {
                java.net.InetAddress.getByName(v);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("must be an address of this machine (an IP such as 0.0.0.0 or"
                        + " 127.0.0.1, or a host name that resolves), was '" + s + "'", e);
            }
            return v;
        }, s -> s);
    }

    /** Comma-separated list or YAML list of {@code host:port} pairs. */
    public static ValueType<String> hostList() {
        return new ValueType<>("host:port list", s -> {
            for (String part : s.split(",")) {
                String p = part.trim();
                int colon = p.lastIndexOf(':');
                if (p.isEmpty() || colon <= 0 || colon == p.length() - 1
                        || !p.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                    throw new IllegalArgumentException("must be a list of host:port, was '" + s + "'");
                }
            }
            return s.replace(" ", "");
        }, s -> s);
    }

    /** What the configuration reference says about values of this type. */
    public String description() {
        return description;
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} with the rule and the value. */
    public T parse(String text) {
        return parser.apply(Objects.requireNonNull(text, "text"));
    }

    /** Formats {@code value} the way a user would write it in the YAML file. */
    public String format(T value) {
        return value == null ? "" : formatter.apply(value);
    }

    static Duration parseDuration(String s) {
        String v = s.trim();
        if (v.toUpperCase(Locale.ROOT).startsWith("P")) {
            try {
                return Duration.parse(v.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("must be a duration such as 500ms, 5s, 2m or PT5S, was '" + s + "'");
            }
        }
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            throw new IllegalArgumentException("must be a duration such as 500ms, 5s, 2m, 1h or PT5S, was '" + s + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
    }

    static String formatDuration(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000 == 0 && ms > 0) {
            return ms / 86_400_000 + "d";
        }
        if (ms % 3_600_000 == 0 && ms > 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0 && ms > 0) {
            return ms / 60_000 + "m";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + "s";
        }
        return ms + "ms";
    }
}
