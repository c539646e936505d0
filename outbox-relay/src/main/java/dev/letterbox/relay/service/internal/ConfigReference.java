package dev.letterbox.relay.service.internal;

import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.relay.service.ServiceConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders the configuration reference, docs/configuration.md, from the key declarations in
 * {@link ConfigCatalog}, so that the document cannot drift from the code. {@code config reference}
 * prints it; {@code ConfigReferenceTest} fails when the checked-in file differs.
 *
 * <pre>{@code
 * Files.writeString(Path.of("docs/configuration.md"), ConfigReference.markdown());
 * }</pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class ConfigReference {

    /** The command, run from the project's root folder, that writes docs/configuration.md anew. */
    public static final String REGENERATE =
            "java -jar outbox-relay/target/outbox-relay.jar config reference > docs/configuration.md";

    /** Sample values of the required keys, for the generated minimal file and its effective configuration. */
    private static final Map<String, String> SAMPLES = Map.of(
            ServiceKeys.DATABASE_URL.path(), "jdbc:postgresql://db:5432/app",
            ServiceKeys.KAFKA_BOOTSTRAP_SERVERS.path(), "kafka:9092");

    /** Pass-through keys whose masking the reference shows as examples of the secret rule. */
    private static final List<String> MASKING_EXAMPLES = List.of("kafka.producer.sasl.jaas.config",
            "kafka.producer.ssl.key.password", "kafka.producer.ssl.keystore.location", "kafka.producer.key.serializer",
            "debezium.database.password");

    private ConfigReference() {
    }

    /** The whole reference as Markdown, ending with a newline. */
    public static String markdown() {
        StringBuilder out = new StringBuilder(16_384);
        out.append("# Configuration reference\n\n")
                .append("<!-- Generated from the key declarations in outbox-relay/src/main/java/dev/letterbox/relay/service/internal/\n")
                .append("     (ServiceKeys, RelayKeys, ConfigCatalog) by ConfigReference. Do not edit by hand: regenerate with\n")
                .append("     ").append(REGENERATE).append("\n")
                .append("     ConfigReferenceTest fails while this file differs from the declarations. -->\n\n")
                .append("The standalone relay (`outbox-relay.jar`, see [service.md](service.md)) reads one YAML file, named\n")
                .append("with `--config`. `config check --config FILE` validates a file and prints its effective\n")
                .append("configuration, secrets masked, without connecting to anything. This page is generated from the\n")
                .append("declarations the configuration loader itself uses.\n\n");
        minimalFile(out);
        rules(out);
        for (ConfigCatalog.Group group : ConfigCatalog.groups()) {
            group(out, group);
        }
        springOnly(out);
        return out.toString();
    }

    private static void minimalFile(StringBuilder out) {
        StringBuilder yaml = new StringBuilder();
        Map<String, String> env = new LinkedHashMap<>();
        String section = null;
        for (ConfigKey<?> key : ConfigCatalog.keys()) {
            if (!key.required()) {
                continue;
            }
            String sample = SAMPLES.get(key.path());
            if (sample == null) {
                throw new IllegalStateException("required key " + key.path() + " has no sample value: add one to"
                        + " ConfigReference.SAMPLES");
            }
            int dot = key.path().indexOf('.');
            String top = key.path().substring(0, dot);
            if (!top.equals(section)) {
                yaml.append(top).append(":\n");
                section = top;
            }
            String variable = key.path().toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
            env.put(variable, sample);
            yaml.append("  ").append(key.path().substring(dot + 1)).append(": ${").append(variable).append("}\n");
        }
        out.append("## A minimal file\n\n")
                .append("Only the required keys must be set; every other key has a default.\n\n")
                .append("```yaml\n").append(yaml).append("```\n\n")
                .append("With ");
        out.append(String.join(" and ", env.entrySet().stream().map(e -> "`" + e.getKey() + "=" + e.getValue() + "`")
                .toList()));
        out.append(" in the environment, `config check` prints\nthis effective configuration (every default written out):\n\n")
                .append("```yaml\n").append(ServiceConfig.parse("relay.yaml", yaml.toString(), env).toMaskedYaml())
                .append("```\n\n");
    }

    private static void rules(StringBuilder out) {
        out.append("## How the file is read\n\n")
                .append("- Keys are dotted paths written as nested mappings; a key may also be written dotted\n")
                .append("  (`relay.polling.batch-size: 100`) and is read the same. A key or a section written twice is\n")
                .append("  refused.\n")
                .append("- Unknown keys are refused, with the nearest valid key as a hint; so are invalid values (the\n")
                .append("  message names the key, the rule and the value) and missing required keys. All problems are\n")
                .append("  listed at once, with line and column; a command that reads the file then exits with code 3.\n")
                .append("- A key written without a value (`port:`) takes its default.\n")
                .append("- Durations are one number and one unit: `500ms`, `5s`, `2m`, `1h`, `7d`, or ISO-8601 such\n")
                .append("  as `PT5S`. A YAML list (`- kafka-1:9092`) is read as its items joined with commas.\n")
                .append("- `database.schema` and `database.table-prefix` are checked by the outbox tables' own rule\n")
                .append("  (`OutboxTables`): lower-case letters, digits and `_`, not starting with a digit, at most ")
                .append(OutboxTables.MAX_SCHEMA_LENGTH).append("\n  characters for the schema and ")
                .append(OutboxTables.MAX_PREFIX_LENGTH)
                .append(" for the prefix (index names add up to 23 to it).\n  Both are always quoted in SQL.\n\n")
                .append("### Environment variables\n\n")
                .append("Every value, pass-through sections included, may refer to environment variables:\n\n")
                .append("- `${NAME}` is replaced by the variable `NAME`; when it is not set, the file is refused with\n")
                .append("  a message naming the key and the variable.\n")
                .append("- `${NAME:default}` is replaced by `NAME`, or by `default` when `NAME` is not set\n")
                .append("  (everything after the first `:` is the default, so `${KAFKA:kafka-1:9092}` works).\n")
                .append("- `$${` writes a literal `${`.\n")
                .append("- A variable name is letters, digits and `_`, not starting with a digit.\n");
        for (ConfigKey<?> key : ConfigCatalog.keys()) {
            if (!key.type().placeholders().isEmpty()) {
                out.append("- In `").append(key.path()).append("`, ");
                out.append(String.join(" and ", key.type().placeholders().stream().sorted().map(p -> "`${" + p + "}`")
                        .toList()));
                out.append(" are placeholders the relay fills per event,\n  not environment variables.\n");
            }
        }
        out.append("\n### Secrets\n\n")
                .append("Keys marked secret are never printed or logged: `config check`, the start-up log line of\n")
                .append("`run` and error messages show `").append(SecretMasking.MASK).append("` instead. A key is secret when a word of its\n")
                .append("path (split at `.`, `-`, `_`) is `password`, `passwd`, `pwd`, `secret`, `token`, `credential`,\n")
                .append("`credentials`, `jaas`, `apikey`, `passphrase` or `privatekey`, when its last word is `key`, or when\n")
                .append("it ends in `userinfo` or `basic.auth.user.info`. Passwords inside JDBC URLs (`password=...`,\n")
                .append("`user:password@`) are masked in every value. The same rule covers pass-through keys, for example:\n\n");
        for (String path : MASKING_EXAMPLES) {
            out.append("- `").append(path).append("`: ").append(SecretMasking.isSecret(path) ? "secret" : "shown").append('\n');
        }
        out.append('\n');
    }

    private static void group(StringBuilder out, ConfigCatalog.Group group) {
        out.append("## `").append(group.name()).append("`\n\n").append(group.doc()).append("\n\n");
        if (!group.keys().isEmpty()) {
            out.append("| Key | Spring Boot property | Type | Default | Required | Secret | Description |\n")
                    .append("|---|---|---|---|---|---|---|\n");
            for (ConfigKey<?> key : group.keys()) {
                String def = key.defaultText();
                String spring = SpringBootKeys.springName(key.path());
                out.append("| `").append(key.path()).append("` | ")
                        .append(spring == null ? "(the application's own)" : "`" + spring + "`")
                        .append(" | ").append(cell(key.type().description()))
                        .append(" | ").append(def.isEmpty() ? "(none)" : "`" + cell(def) + "`")
                        .append(" | ").append(key.required() ? "yes" : "no")
                        .append(" | ").append(SecretMasking.isSecret(key.path()) ? "yes" : "no")
                        .append(" | ").append(cell(key.doc())).append(" |\n");
            }
            out.append('\n');
        }
        for (PassThroughSection section : group.sections()) {
            String[] example = section.example().split(":", 2);
            String spring = SpringBootKeys.springName(section.prefix());
            out.append("### `").append(section.prefix()).append(".*` (passed through)\n\n")
                    .append(spring == null ? "" : "In Spring Boot: `" + spring + ".*`. ")
                    .append(section.doc()).append(" The keys arrive without the `").append(section.prefix())
                    .append(".` prefix, as strings\n(after `${ENV}` substitution); the loader does not know them, so it does not report a misspelt one.");
            if (section.values() != null) {
                out.append("\nEvery value must be a ").append(section.values().description())
                        .append("; another value is refused like an invalid value of a declared key.");
            }
            out.append("\n\n")
                    .append("```yaml\n");
            String[] path = section.prefix().split("\\.");
            for (int i = 0; i < path.length; i++) {
                out.append("  ".repeat(i)).append(path[i]).append(":\n");
            }
            out.append("  ".repeat(path.length)).append(example[0].trim()).append(": ").append(example[1].trim())
                    .append("\n```\n\n");
        }
    }

    private static void springOnly(StringBuilder out) {
        out.append("## Spring Boot\n\n")
                .append("In a Spring Boot application (outbox-spring-boot-starter, see [spring-boot.md](spring-boot.md))\n")
                .append("the keys above are the properties named in their \"Spring Boot property\" column, bound from\n")
                .append("any property source (application.yaml, environment, ...), with the same types, defaults and\n")
                .append("rules; a bad value fails start-up naming the property. `kafka.bootstrap-servers` defaults to\n")
                .append("`spring.kafka.bootstrap-servers` there and is required only with the embedded relay. Keys whose\n")
                .append("column says \"the application's own\" are `spring.datasource.*`, Actuator and `logging.*`.\n")
                .append("These keys exist only in Spring Boot:\n\n")
                .append("| Spring Boot property | Type | Default | Description |\n|---|---|---|---|\n");
        for (ConfigKey<?> key : SpringBootKeys.springOnly()) {
            String def = key.defaultText();
            out.append("| `").append(SpringBootKeys.PREFIX).append(key.path()).append("` | ")
                    .append(cell(key.type().description()))
                    .append(" | ").append(def.isEmpty() ? "(none)" : "`" + cell(def) + "`")
                    .append(" | ").append(cell(key.doc())).append(" |\n");
        }
        out.append('\n');
    }

    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
