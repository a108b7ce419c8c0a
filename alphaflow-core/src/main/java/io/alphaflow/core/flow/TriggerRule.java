package io.alphaflow.core.flow;

import java.util.Locale;

/** When a task runs, given how its upstream tasks ended. */
public enum TriggerRule {
  /** Every upstream task succeeded (the default). */
  ALL_SUCCESS,
  /** Every upstream task ended, however. */
  ALL_DONE,
  /** At least one upstream task failed; fires as soon as one does. */
  ONE_FAILED,
  /** No upstream task failed; skipped upstream tasks are fine. */
  NONE_FAILED;

  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TriggerRule fromYaml(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
