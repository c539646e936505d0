package dev.letterbox.testsupport.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Creates and deletes temporary directories under {@code java.io.tmpdir}. Thread-safe. */
public final class TempDirectories {

    private TempDirectories() {
    }

    /** Creates a new empty directory under {@code java.io.tmpdir} whose name starts with {@code prefix}. */
    public static Path create(String prefix) {
        try {
            return Files.createTempDirectory(prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("Creating a temporary directory under " + System.getProperty("java.io.tmpdir")
                    + " failed: " + e.getMessage(), e);
        }
    }

    /** Deletes {@code dir} and everything below it; a missing directory is fine. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Deleting " + dir + " failed: " + e.getMessage(), e);
        }
    }
}
