package dev.letterbox.outbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps the schema versions quoted in the docs equal to {@link Migration#ALL}. Regression (issue
 * 11, item 17): docs/outbox-core.md said the latest version was 2 when it was 3.
 */
class SchemaDocsTest {

    private static final Path CORE = Path.of("..", "docs", "outbox-core.md");
    private static final Path SERVICE = Path.of("..", "docs", "service.md");

    /** The file with every run of white space made one space, as Markdown reads it. */
    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8).replaceAll("\\s+", " ");
    }

    @Test
    void outboxCoreMdQuotesTheLatestVersionEveryScriptAndEveryVersionRow() throws IOException {
        String doc = read(CORE);
        Matcher now = Pattern.compile("library knows \\(now (\\d+)\\)").matcher(doc);

        assertThat(now.find()).as("docs/outbox-core.md says which version is the latest").isTrue();
        assertThat(Integer.parseInt(now.group(1))).as("the latest version in docs/outbox-core.md")
                .isEqualTo(SchemaMigrator.LATEST_VERSION);
        for (Migration m : Migration.ALL) {
            assertThat(doc).as("docs/outbox-core.md lists the script and the version row of " + m.version())
                    .contains(m.scriptName()).contains("(" + m.version() + ", '" + m.description() + "')");
        }
    }

    @Test
    void serviceMdShowsMigrateReachingTheLatestVersion() throws IOException {
        Matcher versions = Pattern.compile("outbox schema (?:migrated from version \\d+ to|already at version) (\\d+)")
                .matcher(read(SERVICE));

        int found = 0;
        while (versions.find()) {
            found++;
            assertThat(Integer.parseInt(versions.group(1))).as("docs/service.md: " + versions.group())
                    .isEqualTo(SchemaMigrator.LATEST_VERSION);
        }
        assertThat(found).as("docs/service.md shows migrate's output").isPositive();
    }
}
