package dev.letterbox.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the quickstart as users do, {@code java -jar target/letterbox-examples.jar quickstart}, in a
 * child JVM (with the relay service as its own child), and checks its exit code and summary.
 */
class QuickstartIT {

    private static final Path JAR = Path.of("target", "letterbox-examples.jar");
    private static final Path RELAY_JAR = Path.of("..", "outbox-relay", "target", "outbox-relay.jar");

    @Test
    void publishesAndConsumesEveryWrittenEventOnceAndExitsZero() throws Exception {
        assertThat(JAR).as("the runnable jar is built by the package phase").isRegularFile();
        Path output = Files.createTempFile("quickstart-it-", ".log");
        Process process = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString(), "quickstart",
                "--orders=16", "--events-per-order=20", "--events-per-second=1000", "--redeliver=40",
                "--partitions=4", "--timeout=150s", "--relay-jar=" + RELAY_JAR))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        boolean exited = process.waitFor(240, TimeUnit.SECONDS);
        if (!exited) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        Files.deleteIfExists(output);
        System.out.println(text);

        assertThat(exited).as("quickstart ended within 240 s").isTrue();
        assertThat(process.exitValue()).as("exit code; output:%n%s", text).isZero();
        assertThat(text).containsPattern("\\[\\s*\\d+\\.\\ds\\] written +[\\d,]+/320");
        long written = count(text, "events written");
        assertThat(written).isEqualTo(320);
        assertThat(count(text, "events published")).isEqualTo(written);
        assertThat(count(text, "events consumed")).isEqualTo(written);
        assertThat(count(text, "duplicates dropped")).isPositive();
        assertThat(text).contains("OK: every committed event was published once and applied once");
        assertThat(Path.of(find(text, "files +(\\S+)"))).as("temporary folder deleted on exit").doesNotExist();
    }

    private static long count(String text, String label) {
        return Long.parseLong(find(text, "(?m)^  " + label + " +([\\d,]+)").replace(",", ""));
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("output has /%s/:%n%s", regex, text).isTrue();
        return m.group(1);
    }
}
