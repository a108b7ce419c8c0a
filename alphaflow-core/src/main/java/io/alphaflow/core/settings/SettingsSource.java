package io.alphaflow.core.settings;

import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.flow.Durations;
import io.alphaflow.core.flow.RetrySpec;
import io.alphaflow.core.flow.TaskDefaults;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads a settings layer from name/value pairs: the environment (seed 004's names, e.g.
 * MAX_CONCURRENT_TASKS) or {@code alphaflow.yaml} (the same names in lower case). Unknown names are
 * ignored (the environment holds many other things); bad values are errors naming the source.
 */
public final class SettingsSource {
  private final String origin;
  private final Function<String, String> lookup;

  private SettingsSource(String origin, Function<String, String> lookup) {
    this.origin = origin;
    this.lookup = lookup;
  }

  public static Settings fromEnvironment(Map<String, String> env) {
    return new SettingsSource("environment variable", env::get).read();
  }

  /** {@code values} keyed by lower-case names, as in {@code alphaflow.yaml}. */
  public static Settings fromYaml(String file, Map<String, ?> values) {
    return new SettingsSource(
            file + ":",
            name -> {
              Object v = values.get(name.toLowerCase(Locale.ROOT));
              return v == null ? null : String.valueOf(v);
            })
        .read();
  }

  private Settings read() {
    Integer maxRetries = integer("MAX_RETRIES", 0);
    RetrySpec retry =
        new RetrySpec(
            maxRetries == null ? null : maxRetries + 1,
            null,
            duration("RETRY_BASE_DELAY"),
            duration("RETRY_MAX_DELAY"),
            null,
            null,
            null,
            null,
            null);
    return new Settings(
        integer("MAX_CONCURRENT_TASKS", 1),
        duration("WORKFLOW_TIMEOUT"),
        new TaskDefaults(retry, duration("DEFAULT_TASK_TIMEOUT"), null, null),
        level("LOG_LEVEL"));
  }

  private Integer integer(String name, int min) {
    String v = lookup.apply(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through to the message below
    }
    throw new InvalidInputException(
        origin + " " + name + "='" + v + "': expected a whole number of at least " + min);
  }

  private Duration duration(String name) {
    String v = lookup.apply(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    try {
      return Durations.parse(v);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(origin + " " + name + "='" + v + "': " + Durations.HINT);
    }
  }

  private String level(String name) {
    String v = lookup.apply(name);
    if (v == null || v.isBlank()) {
      return null;
    }
    String level = v.trim().toUpperCase(Locale.ROOT);
    if (!level.matches("TRACE|DEBUG|INFO|WARN|ERROR|OFF")) {
      throw new InvalidInputException(
          origin + " " + name + "='" + v + "': use TRACE, DEBUG, INFO, WARN, ERROR or OFF");
    }
    return level;
  }
}
