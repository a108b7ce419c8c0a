package io.alphaflow.core.flow;

import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.dag.Dag;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks the params a user gave against a flow's declarations and fills in defaults. */
public final class Params {
  private Params() {}

  /** Every declared param with its checked value; all problems reported in one exception. */
  public static Map<String, String> resolve(Flow flow, Map<String, String> given) {
    List<String> problems = new ArrayList<>();
    given.keySet().stream()
        .filter(k -> !flow.params().containsKey(k))
        .forEach(
            k ->
                problems.add(
                    "unknown param '"
                        + k
                        + "' for flow '"
                        + flow.name()
                        + "' ("
                        + (flow.params().isEmpty()
                            ? "it declares none"
                            : "declared: " + String.join(", ", flow.params().keySet()))
                        + ")"));
    Map<String, String> out = new LinkedHashMap<>();
    flow.params()
        .forEach(
            (name, spec) -> {
              String raw = given.containsKey(name) ? given.get(name) : defaultOf(spec, flow.dir());
              if (raw == null) {
                problems.add(
                    "missing param '"
                        + name
                        + "' ("
                        + spec.type().yamlName()
                        + "): pass --param "
                        + name
                        + "=VALUE");
                return;
              }
              try {
                out.put(name, spec.type().normalize(raw));
              } catch (IllegalArgumentException e) {
                problems.add(
                    "param '"
                        + name
                        + "' = '"
                        + raw
                        + "' is not a "
                        + spec.type().yamlName()
                        + ": "
                        + e.getMessage());
              }
            });
    if (!problems.isEmpty()) {
      throw new InvalidInputException(String.join("\n", problems));
    }
    return out;
  }

  /**
   * What each task's type says of its config once {@code values} (the run's params, checked by
   * {@link #resolve}) fill its {@code ${params.NAME}} references, alone and with the tasks upstream
   * of it ({@link TaskTypes#validateInFlow}: a label's leakage guard sees the horizon given), for a
   * run refused before it starts rather than failing a task hours in ({@code --param model=rigde}).
   * Other references stay as written, for their tasks to check when they resolve. Empty when every
   * task takes its values, or none uses a param.
   */
  public static List<String> taskProblems(Flow flow, Map<String, String> values, TaskTypes types) {
    Map<String, TaskSpec> filled = new LinkedHashMap<>();
    Set<String> changed = new HashSet<>();
    Map<String, List<String>> deps = new LinkedHashMap<>();
    for (TaskSpec t : flow.tasks()) {
      deps.put(t.id(), t.dependsOn());
      boolean uses =
          Templates.references(t.config()).stream()
              .anyMatch(r -> r.expression().startsWith(PREFIX));
      if (uses) {
        changed.add(t.id());
      }
      filled.put(
          t.id(),
          !uses
              ? t
              : t.withConfig(
                  Templates.resolve(
                      t.config(),
                      e ->
                          e.startsWith(PREFIX) && values.containsKey(e.substring(PREFIX.length()))
                              ? values.get(e.substring(PREFIX.length()))
                              : "${" + e + "}")));
    }
    if (changed.isEmpty()) {
      return List.of();
    }
    Dag dag = Dag.of(deps);
    List<String> out = new ArrayList<>();
    for (TaskSpec t : filled.values()) {
      Set<String> ancestors = dag.ancestorsOf(t.id());
      List<ConfigProblem> found =
          changed.contains(t.id()) ? types.validate(t.type(), t.config()) : List.of();
      if (found.isEmpty()
          && (changed.contains(t.id()) || ancestors.stream().anyMatch(changed::contains))) {
        List<TaskSpec> upstream =
            filled.values().stream().filter(u -> ancestors.contains(u.id())).toList();
        found = types.validateInFlow(t.type(), t, upstream);
      }
      for (ConfigProblem p : found) {
        out.add("task '" + t.id() + "' (" + t.type() + "), with the params given: " + p.inline());
      }
    }
    return out;
  }

  /** How a reference to a param starts: {@code ${params.NAME}}. */
  public static final String PREFIX = "params.";

  /**
   * {@code spec}'s default with {@code ${flow.dir}} replaced by {@code dir} (the loader refuses any
   * other reference there), or null for a required param.
   */
  private static String defaultOf(ParamSpec spec, Path dir) {
    return spec.defaultValue() == null
        ? null
        : Templates.resolveString(spec.defaultValue(), expression -> dir.toString());
  }
}
