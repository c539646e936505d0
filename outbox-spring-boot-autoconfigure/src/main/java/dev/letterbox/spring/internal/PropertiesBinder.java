package dev.letterbox.spring.internal;

import static dev.letterbox.relay.service.internal.RelayKeys.WRITE_MODE;
import static dev.letterbox.relay.service.internal.ServiceKeys.*;
import static dev.letterbox.relay.service.internal.SpringBootKeys.*;

import dev.letterbox.outbox.InvalidConfigurationException;
import dev.letterbox.outbox.Outbox;
import dev.letterbox.outbox.OutboxTables;
import dev.letterbox.outbox.WriteMode;
import dev.letterbox.relay.RelayConfig;
import dev.letterbox.relay.service.ConfigException;
import dev.letterbox.relay.service.ConfigProblem;
import dev.letterbox.relay.service.ServiceConfig;
import dev.letterbox.relay.service.internal.BoundValues;
import dev.letterbox.relay.service.internal.ConfigBinder;
import dev.letterbox.relay.service.internal.ConfigKey;
import dev.letterbox.relay.service.internal.RelayConfigFactory;
import dev.letterbox.relay.service.internal.SpringBootKeys;
import dev.letterbox.relay.service.internal.YamlNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Binds {@code letterbox.*} from Spring's {@link Environment} with the standalone service's own
 * key declarations and binder ({@link SpringBootKeys}), so the names, types, defaults and rules
 * are the service's; a bad value fails with {@link InvalidPropertiesException} naming the property.
 * Stateless and thread-safe.
 */
public final class PropertiesBinder {

  private static final String SOURCE = "Spring Boot properties letterbox.*";
  private static final Pattern INDEXED = Pattern.compile("(.*)\\[(\\d+)]");

  private PropertiesBinder() {
  }

  /** Binds and validates the properties of {@code environment}. */
  public static LetterboxSettings bind(Environment environment) {
    Binder binder = Binder.get(environment);
    Map<String, String> flat = binder.bind("letterbox", Bindable.mapOf(String.class, String.class)).orElse(Map.of());
    Map<String, YamlNode> nodes = nodes(flat);
    boolean relayEnabled = nodes.containsKey(RELAY_ENABLED.path())
        && "true".equalsIgnoreCase(nodes.get(RELAY_ENABLED.path()).text());
    if (!nodes.containsKey(KAFKA_BOOTSTRAP_SERVERS.path())) {
      binder.bind("spring.kafka.bootstrap-servers", Bindable.listOf(String.class)).ifBound(servers ->
          nodes.put(KAFKA_BOOTSTRAP_SERVERS.path(), new YamlNode(KAFKA_BOOTSTRAP_SERVERS.path(), servers, 0, 0)));
    }
    List<ConfigKey<?>> keys = new ArrayList<>(SpringBootKeys.springOnly());
    for (ConfigKey<?> key : SpringBootKeys.shared()) {
      // the brokers are required only by the embedded relay; the rest of the starter writes to the database
      keys.add(key.required() && !relayEnabled ? new ConfigKey<>(key.path(), key.type(), null, false, key.doc()) : key);
    }
    try {
      BoundValues values = new ConfigBinder(keys, SpringBootKeys.sharedSections(), Map.of()).bind(SOURCE, nodes);
      // validated also without the embedded relay, so a bad letterbox.relay.* value never waits to be noticed
      RelayConfig relay = RelayConfigFactory.create(SOURCE, values);
      OutboxTables tables = relay.tables();
      ServiceConfig.Admin readiness = new ServiceConfig.Admin(null, 0, null,
          values.get(ADMIN_READINESS_MAX_OLDEST_AGE), values.get(ADMIN_READINESS_REQUIRE_CLOSED_CIRCUIT));
      WriteMode writeMode = WriteMode.valueOf(values.get(WRITE_MODE).toUpperCase(Locale.ROOT).replace('-', '_'));
      Duration notifyRelay = values.get(OUTBOX_NOTIFY_RELAY);
      if (notifyRelay != null) {
        Outbox.builder().notifyRelay(notifyRelay); // the builder's rule, reported here under letterbox.*
      }
      return new LetterboxSettings(tables, writeMode, notifyRelay, relay, relayEnabled,
          values.get(RELAY_WAKE_ON_COMMIT), values.get(SCHEMA_MIGRATE), values.get(SCHEMA_FLYWAY), readiness);
    } catch (ConfigException e) {
      throw new InvalidPropertiesException(e.problems().stream().map(PropertiesBinder::describe).toList());
    } catch (IllegalArgumentException | InvalidConfigurationException e) {
      // a rule outside the binder (e.g. OutboxTables, Outbox.Builder): its message starts with the key path
      throw new InvalidPropertiesException(List.of(PREFIX + e.getMessage()));
    }
  }

  /** The problem with its key named as a Spring property ({@code letterbox.relay.polling.batch-size ...}). */
  private static String describe(ConfigProblem problem) {
    String message = problem.message();
    if (problem.path() != null) {
      message = message.replaceAll("(^|[ '])" + Pattern.quote(problem.path()) + "(?=$|[ ':,])",
          "$1" + Matcher.quoteReplacement(PREFIX + problem.path()));
    }
    return message.replace("did you mean '", "did you mean '" + PREFIX);
  }

  /** Spring's flat names ({@code kafka.bootstrap-servers[0]}) as the service binder's leaves. */
  private static Map<String, YamlNode> nodes(Map<String, String> flat) {
    Map<String, List<String>> values = new TreeMap<>();
    for (Map.Entry<String, String> e : new TreeMap<>(flat).entrySet()) {
      Matcher indexed = INDEXED.matcher(e.getKey());
      String path = indexed.matches() ? indexed.group(1) : e.getKey();
      List<String> items = values.computeIfAbsent(path, p -> new ArrayList<>());
      items.add(e.getValue() == null ? "" : e.getValue());
    }
    Map<String, YamlNode> nodes = new TreeMap<>();
    values.forEach((path, items) -> nodes.put(path, new YamlNode(path, items, 0, 0)));
    return nodes;
  }
}
