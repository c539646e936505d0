package dev.letterbox.outbox.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One schema version: its number, a description and the SQL script per dialect under
 * {@code /dev/letterbox/outbox/schema/<dialect>/V<n>__<name>.sql}; immutable.
 */
record Migration(int version, String description, String scriptName) {
  /** Every version, in order; a new version is added here with its scripts for every dialect. */
  static final List<Migration> ALL = List.of(
      new Migration(1, "outbox, lease and inbox tables", "V1__outbox.sql"),
      new Migration(2, "index of parked events by aggregate", "V2__parked_index.sql"),
      new Migration(3, "index of published events by publication time", "V3__published_index.sql"),
      new Migration(4, "log mode: seq drawn after the transaction id, lease positions", "V4__log_mode.sql"));

  /** The raw script for {@code dialect}, written with the default names. */
  String script(Dialect dialect) {
    return resource(dialect, scriptName);
  }

  /** The raw script {@code name} for {@code dialect}. */
  static String resource(Dialect dialect, String name) {
    String path = "/dev/letterbox/outbox/schema/" + dialect.folder() + "/" + name;
    try (InputStream in = Migration.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing schema resource " + path + " in the outbox-core jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + path, e);
    }
  }
}
