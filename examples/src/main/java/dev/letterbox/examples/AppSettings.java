package dev.letterbox.examples;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Settings of an example service from {@code --name=value} arguments, falling back to environment
 * variables named {@code <PREFIX>NAME} ({@code --jdbc-url} → {@code ORDERS_JDBC_URL}).
 *
 * <p>Immutable and thread-safe.
 */
public final class AppSettings {

    private final String envPrefix;
    private final Map<String, String> args;
    private final Function<String, String> env;

    private AppSettings(String envPrefix, Map<String, String> args, Function<String, String> env) {
        this.envPrefix = envPrefix;
        this.args = Map.copyOf(args);
        this.env = env;
    }

    /**
     * Reads {@code args}; every name must be in {@code known}.
     *
     * @param envPrefix prefix of the environment variables, e.g. {@code ORDERS_}
     * @param env       looks up an environment variable, usually {@code System::getenv}
     * @throws IllegalArgumentException for an argument not shaped {@code --name=value} or not known
     */
    public static AppSettings parse(List<String> args, Set<String> known, String envPrefix, Function<String, String> env) {
        Map<String, String> given = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
            if (name == null || !known.contains(name)) {
                throw new IllegalArgumentException("argument '" + arg + "' is not one of --" + String.join("=…, --", known.stream().sorted().toList())
                        + "=…; each may also be set as an environment variable " + envPrefix + "<NAME>");
            }
            given.put(name, arg.substring(eq + 1));
        }
        return new AppSettings(envPrefix, given, env);
    }

    /** The environment variable that backs {@code name}: {@code jdbc-url} → {@code ORDERS_JDBC_URL}. */
    public String envName(String name) {
        return envPrefix + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    /** The value of {@code name}, or {@code otherwise} when neither the argument nor the variable is set. */
    public String get(String name, String otherwise) {
        String value = args.get(name);
        if (value == null) {
            value = env.apply(envName(name));
        }
        return value == null || value.isBlank() ? otherwise : value;
    }

    /** The value of {@code name}; throws {@link IllegalArgumentException} saying how to set it when missing. */
    public String require(String name) {
        String value = get(name, null);
        if (value == null) {
            throw new IllegalArgumentException("missing setting " + name + ": pass --" + name + "=… or set " + envName(name));
        }
        return value;
    }

    /** The whole number {@code name}, between {@code min} and {@code max}, or {@code otherwise} when unset. */
    public int integer(String name, int otherwise, int min, int max) {
        String value = get(name, null);
        if (value == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, was '" + value + "'", e);
        }
    }
}
