package dev.letterbox.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What this module's Javadoc and SQL comments tell readers agrees with the project. Regression:
 * LogicalMessageCodec pointed to a docs/schema.md that does not exist, Dialect said PostgreSQL 12+
 * while the scripts need 13+, and schema_version.sql said the version table was not needed with
 * Flyway, though the relay service refuses to start without it.
 */
class SourceTextTest {

  private static final Path MAIN = Path.of("src", "main");
  private static final Path DOCS = Path.of("..", "docs");
  private static final Path SCHEMA = MAIN.resolve(Path.of("resources", "dev", "letterbox", "outbox", "schema"));

  private static List<Path> files() throws IOException {
    try (Stream<Path> all = Files.walk(MAIN)) {
      return all.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".java") || f.toString().endsWith(".sql"))
          .sorted().toList();
    }
  }

  @Test
  void everyDocumentNamedInTheSourcesExists() throws IOException {
    List<String> missing = new ArrayList<>();
    Pattern doc = Pattern.compile("docs/([a-z0-9-]+\\.md)");
    for (Path file : files()) {
      Matcher m = doc.matcher(Files.readString(file, StandardCharsets.UTF_8));
      while (m.find()) {
        if (!Files.exists(DOCS.resolve(m.group(1)))) {
          missing.add(file + " names docs/" + m.group(1));
        }
      }
    }

    assertThat(missing).isEmpty();
  }

  @Test
  void dialectNamesThePostgresqlVersionTheScriptsNeed() throws IOException {
    Pattern version = Pattern.compile("PostgreSQL (\\d+)\\+");
    Matcher script = version.matcher(Files.readString(SCHEMA.resolve(Path.of("postgresql", "V1__outbox.sql"))));
    Matcher dialect = version.matcher(Files.readString(
        MAIN.resolve(Path.of("java", "dev", "letterbox", "outbox", "internal", "Dialect.java"))));

    assertThat(script.find()).isTrue();
    assertThat(dialect.find()).isTrue();
    assertThat(dialect.group(1)).isEqualTo(script.group(1));
  }

  @Test
  void theVersionTableScriptSaysTheRelayServiceNeedsIt() throws IOException {
    for (String dialect : List.of("postgresql", "mariadb", "h2")) {
      String script = Files.readString(SCHEMA.resolve(Path.of(dialect, "schema_version.sql")));

      assertThat(script).as(dialect).doesNotContain("not needed").contains("refuse to start (exit code 4)");
    }
  }
}
