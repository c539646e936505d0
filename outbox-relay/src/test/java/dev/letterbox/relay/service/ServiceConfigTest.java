package dev.letterbox.relay.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.letterbox.relay.service.internal.RelayKeys;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

    private static final String MINIMAL = """
            database:
              url: jdbc:postgresql://db:5432/app
            kafka:
              bootstrap-servers: kafka:9092
            """;

    private static ServiceConfig parse(String yaml, Map<String, String> env) {
        return ServiceConfig.parse("relay.yaml", yaml, env);
    }

    private static ConfigException refused(String yaml) {
        try {
            parse(yaml, Map.of());
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("the configuration was accepted:\n" + yaml);
    }

    @Test
    void appliesDefaultsToAMinimalFile() {
        ServiceConfig config = parse(MINIMAL, Map.of());

        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db:5432/app");
        assertThat(config.database().tablePrefix()).isEqualTo("outbox_");
        assertThat(config.database().poolSize()).isEqualTo(8);
        assertThat(config.admin().port()).isEqualTo(8080);
        assertThat(config.logging().format()).isEqualTo("json");
        assertThat(config.bootstrapServers()).isEqualTo("kafka:9092");
        assertThat(config.toMaskedMap()).containsEntry("relay.polling.batch-size", "500");
    }

    @Test
    void substitutesEnvironmentVariablesWithAndWithoutDefaults() {
        ServiceConfig config = parse("""
                database:
                  url: jdbc:postgresql://${DB_HOST:localhost}:${DB_PORT:5432}/app
                  password: ${DB_PASSWORD}
                kafka:
                  bootstrap-servers: ${KAFKA:k1:9092}
                admin:
                  token: $${literal}
                """, Map.of("DB_HOST", "db.internal", "DB_PASSWORD", "s3cret"));

        assertThat(config.database().url()).isEqualTo("jdbc:postgresql://db.internal:5432/app");
        assertThat(config.database().password()).isEqualTo("s3cret");
        assertThat(config.bootstrapServers()).isEqualTo("k1:9092");
        assertThat(config.admin().token()).isEqualTo("${literal}");
    }

    @Test
    void refusesAnUnsetVariableWithoutDefaultNamingKeyAndVariable() {
        ConfigException e = refused(MINIMAL + "  # end\nadmin:\n  token: ${ADMIN_TOKEN}\n");

        assertThat(e.getMessage()).contains("line 7").contains("admin.token")
                .contains("ADMIN_TOKEN").contains("${ADMIN_TOKEN:value}");
    }

    @Test
    void refusesAnUnknownKeyWithItsLineAndTheNearestValidKey() {
        ConfigException e = refused(MINIMAL + """
                relay:
                  polling:
                    batch-sise: 100
                """);

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.path()).isEqualTo("relay.polling.batch-sise");
            assertThat(p.line()).isEqualTo(7);
        });
        assertThat(e.getMessage()).contains("line 7, column 5: unknown key 'relay.polling.batch-sise'; did you mean"
                + " 'relay.polling.batch-size'?");
    }

    @Test
    void refusesAnInvalidValueWithPathRuleAndValue() {
        ConfigException e = refused(MINIMAL + "admin:\n  port: 70000\nlogging:\n  format: xml\n");

        assertThat(e.getMessage())
                .contains("line 6, column 3: admin.port must be between 0 and 65535, was 70000")
                .contains("line 8, column 3: logging.format must be one of json, text, was 'xml'");
    }

    @Test
    void reportsTheRelayLibrarysRangeRuleWithTheLineOfTheKey() {
        ConfigException e = refused(MINIMAL + "relay:\n  polling:\n    batch-size: 0\n");

        assertThat(e.getMessage()).contains("line 7").contains("relay.polling.batch-size must be between 1 and 10000, was 0");
    }

    /**
     * Regression: an upper-case (or too long) table prefix or schema passed the loader, then
     * OutboxTables refused it, so the process ended with exit code 1 and a stack trace instead of a
     * configuration problem; the loader's length limit (41) also disagreed with OutboxTables' (40, 63).
     */
    @Test
    void refusesATablePrefixOrSchemaTheOutboxTablesRefuseWithPathLineRuleAndValue() {
        ConfigException e = refused(MINIMAL.replace("\nkafka:", "\n  table-prefix: Orders_\n  schema: Billing\nkafka:"));

        assertThat(e.problems()).extracting(ConfigProblem::path, ConfigProblem::line)
                .containsExactlyInAnyOrder(tuple("database.table-prefix", 3), tuple("database.schema", 4));
        assertThat(e.getMessage())
                .contains("line 3, column 3: database.table-prefix must be a lower-case SQL identifier matching"
                        + " [a-z_][a-z0-9_]* (no quotes, spaces, dots or dashes), was 'Orders_'")
                .contains("line 4, column 3: database.schema must be a lower-case SQL identifier matching"
                        + " [a-z_][a-z0-9_]* (no quotes, spaces, dots or dashes), was 'Billing'");
    }

    @Test
    void appliesTheLengthLimitsOfTheOutboxTables() {
        String prefix40 = "p".repeat(39) + "_";
        String schema63 = "s".repeat(63);
        ServiceConfig config = parse(MINIMAL.replace("\nkafka:", "\n  table-prefix: " + prefix40 + "\n  schema: "
                + schema63 + "\nkafka:"), Map.of());

        assertThat(config.relay().tables().prefix()).isEqualTo(prefix40);
        assertThat(config.relay().tables().schema()).isEqualTo(schema63);
        assertThat(refused(MINIMAL.replace("\nkafka:", "\n  table-prefix: p" + prefix40 + "\nkafka:")).getMessage())
                .contains("line 3, column 3: database.table-prefix must be at most 40 characters, was 'p" + prefix40 + "'");
        assertThat(refused(MINIMAL.replace("\nkafka:", "\n  schema: s" + schema63 + "\nkafka:")).getMessage())
                .contains("line 3, column 3: database.schema must be at most 63 characters, was 's" + schema63 + "'");
    }

    /** Regression: an explicit empty table prefix was taken as unset, so the default prefix was used. */
    @Test
    void takesAnExplicitEmptyTablePrefixAsNoPrefixAndAnUnsetOneAsTheDefault() {
        String withPrefix = MINIMAL.replace("database:\n", "database:\n  table-prefix: \"\"\n");
        assertThat(withPrefix).isNotEqualTo(MINIMAL);
        assertThat(parse(withPrefix, Map.of()).database().tablePrefix()).isEmpty();
        assertThat(parse(MINIMAL, Map.of()).database().tablePrefix()).isEqualTo("outbox_");
    }

    /** Regression: the root level refused {@code off} and upper case, which the per-logger levels accept. */
    @Test
    void acceptsTheRootLevelInAnyCaseAndOffAndRefusesOtherNames() throws Exception {
        assertThat(parse(MINIMAL + "logging:\n  level: off\n", Map.of()).logging().level()).isEqualTo("OFF");
        assertThat(parse(MINIMAL + "logging:\n  level: Debug\n", Map.of()).logging().level()).isEqualTo("DEBUG");
        ConfigException e = refused(MINIMAL + "logging:\n  level: verbose\n");
        assertThat(e.getMessage()).contains("logging.level must be a log level, one of TRACE, DEBUG, INFO, WARN, ERROR"
                + " or OFF (any case), was 'verbose'");
    }

    /** Regression: any value was accepted, and one that is not a level name silently made the logger inherit. */
    @Test
    void refusesALoggerLevelThatIsNotALevelNameWithPathLineAndTheAllowedLevels() {
        ConfigException e = refused(MINIMAL + "logging:\n  loggers:\n    org.apache.kafka: verbose\n"
                + "    dev.letterbox:\n");

        assertThat(e.problems()).extracting(ConfigProblem::path, ConfigProblem::line)
                .containsExactlyInAnyOrder(tuple("logging.loggers.org.apache.kafka", 7),
                        tuple("logging.loggers.dev.letterbox", 8));
        assertThat(e.getMessage()).contains("line 7, column 5: logging.loggers.org.apache.kafka must be a log level,"
                + " one of TRACE, DEBUG, INFO, WARN, ERROR or OFF (any case), was 'verbose'");
    }

    @Test
    void acceptsLoggerLevelsInAnyCase() {
        ServiceConfig config = parse(MINIMAL + "logging:\n  loggers:\n    org.apache.kafka: Warn\n"
                + "    com.zaxxer.hikari: off\n", Map.of());

        assertThat(config.logging().loggers()).containsEntry("org.apache.kafka", "WARN")
                .containsEntry("com.zaxxer.hikari", "OFF");
    }

    /** Regression: PollingConfig.workers had no key, so the service always ran the library's default. */
    @Test
    void setsThePollerThreadsFromRelayPollingWorkersWithinTheLibrarysRange() {
        assertThat(parse(MINIMAL, Map.of()).relay().polling().workers()).isEqualTo(2);
        assertThat(parse(MINIMAL + "relay:\n  polling:\n    workers: 4\n", Map.of()).relay().polling().workers())
                .isEqualTo(4);
        assertThat(refused(MINIMAL + "relay:\n  polling:\n    workers: 17\n").getMessage())
                .contains("line 7: relay.polling.workers must be between 1 and 16, was 17");
    }

    /** Regression: the key's reference said the default was {@code <hostname>-<pid>}; the relay adds a random part. */
    @Test
    void documentsTheGeneratedInstanceIdAsTheRelayMakesIt() {
        String generated = parse(MINIMAL, Map.of()).relay().instanceId();

        assertThat(generated).matches(".+-" + ProcessHandle.current().pid() + "-[0-9a-f]{1,4}");
        assertThat(RelayKeys.INSTANCE_ID.doc()).contains("`<hostname>-<pid>-<random>`")
                .contains("up to four hex digits");
    }

    @Test
    void refusesMissingRequiredKeysNamingEach() {
        ConfigException e = refused("logging:\n  level: info\n");

        assertThat(e.problems()).extracting(ConfigProblem::path)
                .containsExactlyInAnyOrder("database.url", "kafka.bootstrap-servers");
        assertThat(e.getMessage()).contains("missing required key database.url");
    }

    @Test
    void refusesMalformedYamlWithLineAndColumn() {
        ConfigException e = refused("database:\n  url: x\n   kafka: y\n");

        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.line()).isEqualTo(3);
            assertThat(p.column()).isEqualTo(9);
        });
        assertThat(e.getMessage()).contains("malformed YAML").doesNotContain("\n    ");
    }

    @Test
    void refusesAKeyWrittenTwice() {
        ConfigException e = refused(MINIMAL + "database:\n  pool-size: 3\n");

        assertThat(e.getMessage()).contains("section database is written twice (first on line 1)");
        assertThat(refused(MINIMAL.replace("\nkafka:", "\n  pool-size: 2\n  pool-size: 3\nkafka:")).getMessage())
                .contains("database.pool-size is set twice (first on line 3)");
    }

    @Test
    void passesProducerAndDebeziumPropertiesThroughVerbatim() {
        ServiceConfig config = parse(MINIMAL + """
                  producer:
                    linger.ms: 20
                    compression.type: zstd
                debezium:
                  slot.name: letterbox
                  snapshot:
                    mode: no_data
                """, Map.of());

        assertThat(config.producerProperties()).containsExactly(Map.entry("linger.ms", "20"),
                Map.entry("compression.type", "zstd"));
        assertThat(config.debeziumProperties()).containsEntry("slot.name", "letterbox")
                .containsEntry("snapshot.mode", "no_data");
    }

    @Test
    void masksSecretsInTheEffectiveConfiguration() {
        ServiceConfig config = parse("""
                database:
                  url: jdbc:postgresql://db:5432/app?user=app&password=hunter2
                  password: pg-secret
                kafka:
                  bootstrap-servers: [k1:9092, k2:9092]
                  producer:
                    sasl.jaas.config: org.apache.kafka.common.security.plain.PlainLoginModule required password="x";
                    ssl.key.password: keypw
                    key.serializer: org.apache.kafka.common.serialization.StringSerializer
                admin:
                  token: admin-token
                """, Map.of());

        String yaml = config.toMaskedYaml();
        assertThat(yaml).doesNotContain("hunter2", "pg-secret", "PlainLoginModule", "keypw", "admin-token")
                .contains("password=******").contains("StringSerializer").contains("k1:9092,k2:9092");
        assertThat(config.toString()).doesNotContain("hunter2", "pg-secret", "admin-token");
        assertThat(config.database().toString()).doesNotContain("pg-secret", "hunter2");
    }

    @Test
    void acceptsDurationsWithUnitsAndIsoForm() {
        ServiceConfig config = parse(MINIMAL + "admin:\n  readiness:\n    max-oldest-unpublished-age: PT90S\n",
                Map.of());

        assertThat(config.admin().maxOldestUnpublishedAge()).isEqualTo(Duration.ofSeconds(90));
        assertThat(refused(MINIMAL.replace("\nkafka:", "\n  connect-timeout: 5\nkafka:")).getMessage()).contains("connect-timeout must be a duration");
    }

    @Test
    void fitsOnOneScreenWhateverTheNumberOfProblems() {
        StringBuilder yaml = new StringBuilder("relay:\n");
        for (int i = 0; i < 40; i++) {
            yaml.append("  key").append(i).append(": 1\n");
        }
        ConfigException e = refused(yaml.toString());

        assertThat(e.getMessage().lines().count()).isLessThanOrEqualTo(20);
        assertThat(e.getMessage()).contains("... and");
    }
}
