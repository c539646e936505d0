package dev.letterbox.relay.service.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Keeps docs/configuration.md equal to what {@link ConfigReference} renders from the key
 * declarations. Run with {@code -Dletterbox.reference.update=true} to rewrite the file instead.
 */
class ConfigReferenceTest {

    /** The system property that makes this test write the file instead of comparing it. */
    static final String UPDATE = "letterbox.reference.update";

    private static final Path FILE = Path.of("..", "docs", "configuration.md");

    @Test
    void docsConfigurationMdIsTheRenderedReference() throws IOException {
        String rendered = ConfigReference.markdown();
        if (Boolean.getBoolean(UPDATE)) {
            Files.writeString(FILE, rendered, StandardCharsets.UTF_8);
        }
        String onDisk = Files.exists(FILE) ? Files.readString(FILE, StandardCharsets.UTF_8) : "(missing)";

        assertThat(onDisk)
                .as("%s is not what the key declarations render. Regenerate it from the project's root folder with%n"
                        + "  %s%nor run this test with -D%s=true", FILE.toAbsolutePath().normalize(),
                        ConfigReference.REGENERATE, UPDATE)
                .isEqualTo(rendered);
    }

    @Test
    void referenceNamesEveryKeyAndPassThroughSection() {
        String rendered = ConfigReference.markdown();

        ConfigCatalog.keys().forEach(k -> assertThat(rendered).contains("| `" + k.path() + "` |"));
        ConfigCatalog.sections().forEach(s -> assertThat(rendered).contains("### `" + s.prefix() + ".*`"));
    }

    @Test
    void marksSecretKeysAndRequiredKeys() {
        String rendered = ConfigReference.markdown();

        assertThat(rendered).containsPattern("\\| `database\\.password` \\|[^\\n]*\\| no \\| yes \\|");
        assertThat(rendered).containsPattern("\\| `database\\.url` \\|[^\\n]*\\| yes \\| no \\|");
    }

    @Test
    void configReferenceCommandPrintsTheReference() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = new CommandLine(new RootCommand()).execute("config", "reference");
        } finally {
            System.setOut(stdout);
        }

        assertThat(code).isEqualTo(ExitCodes.OK);
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo(ConfigReference.markdown());
    }
}
