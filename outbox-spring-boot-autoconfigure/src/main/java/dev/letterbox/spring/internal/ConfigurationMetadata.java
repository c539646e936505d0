package dev.letterbox.spring.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.letterbox.relay.service.internal.ConfigKey;
import dev.letterbox.relay.service.internal.PassThroughSection;
import dev.letterbox.relay.service.internal.SpringBootKeys;
import dev.letterbox.relay.service.internal.ValueType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders {@code META-INF/spring-configuration-metadata.json}, which IDEs read to complete and
 * document {@code letterbox.*} properties, from the same declarations the binder uses
 * ({@link SpringBootKeys}). {@code ConfigurationMetadataTest} fails while the checked-in file
 * differs; {@link #main} writes it anew. Stateless and thread-safe.
 */
public final class ConfigurationMetadata {

  /** Where the file lives in this module's sources. */
  public static final String FILE = "src/main/resources/META-INF/spring-configuration-metadata.json";

  private ConfigurationMetadata() {
  }

  /** Writes the file anew; run from the module folder ({@code args[0]} may name another path). */
  public static void main(String[] args) throws IOException {
    Files.writeString(Path.of(args.length > 0 ? args[0] : FILE), json());
  }

  /** The metadata as JSON, ending with a newline. */
  public static String json() {
    List<Map<String, Object>> properties = new ArrayList<>();
    for (ConfigKey<?> key : SpringBootKeys.springOnly()) {
      properties.add(property(key));
    }
    for (ConfigKey<?> key : SpringBootKeys.shared()) {
      properties.add(property(key));
    }
    for (PassThroughSection section : SpringBootKeys.sharedSections()) {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put("name", SpringBootKeys.PREFIX + section.prefix());
      p.put("type", "java.util.Map<java.lang.String,java.lang.String>");
      p.put("description", section.doc());
      properties.add(p);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("name", "letterbox");
    group.put("description", "Letterbox outbox, embedded relay and inbox (docs/configuration.md).");
    root.put("groups", List.of(group));
    root.put("properties", properties);
    try {
      return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root)
          .replace("\r\n", "\n") + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> property(ConfigKey<?> key) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("name", SpringBootKeys.PREFIX + key.path());
    p.put("type", javaType(key));
    p.put("description", key.doc() + " Accepts " + key.type().description() + ".");
    if (key.defaultValue() != null) {
      Object def = key.defaultValue();
      p.put("defaultValue", def instanceof Boolean || def instanceof Number ? def : key.defaultText());
    }
    return p;
  }

  private static String javaType(ConfigKey<?> key) {
    Object value = key.defaultValue();
    if (value == null && key.type().description().equals(ValueType.duration().description())) {
      return "java.time.Duration"; // a duration without a default, e.g. outbox.notify-relay
    }
    if (value instanceof Boolean) {
      return "java.lang.Boolean";
    }
    if (value instanceof Integer) {
      return "java.lang.Integer";
    }
    if (value instanceof Double) {
      return "java.lang.Double";
    }
    if (value instanceof Duration) {
      return "java.time.Duration";
    }
    return "java.lang.String";
  }
}
