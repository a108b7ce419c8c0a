package io.alphaflow.core.flow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ${...}} references in task config values: {@code ${params.NAME}}, {@code ${run.id}},
 * {@code ${flow.name}}, {@code ${flow.dir}}, {@code ${task.id}}, {@code ${task.attempt}}, {@code
 * ${tasks.ID.outputs.NAME}} and {@code ${tasks.ID.output_dir}} (where an upstream task's files
 * are). {@code $${} writes a literal {@code ${}. References are checked when
 * the flow is loaded and replaced just before a task starts.
 */
public final class Templates {
  private static final Pattern REF = Pattern.compile("\\$?\\$\\{\\s*([^}]*?)\\s*}");
  private static final Pattern TASK_OUTPUT =
      Pattern.compile(
          "tasks\\.([A-Za-z_][A-Za-z0-9_-]*)\\.(?:outputs\\.([A-Za-z_][A-Za-z0-9_.-]*)|output_dir)");

  /** The directory of the flow file: the one reference a param's default may hold too. */
  public static final String FLOW_DIR = "flow.dir";

  private static final List<String> FIXED =
      List.of("run.id", "flow.name", FLOW_DIR, "task.id", "task.attempt");

  private Templates() {}

  /** A reference found in a config value: the path inside the config and the text inside ${}. */
  public record Reference(String configPath, String expression) {
    public boolean isTaskOutput() {
      return TASK_OUTPUT.matcher(expression).matches();
    }

    public String outputTask() {
      Matcher m = TASK_OUTPUT.matcher(expression);
      return m.matches() ? m.group(1) : null;
    }
  }

  /** Every reference in {@code config}, depth first, with its path. */
  public static List<Reference> references(Map<String, Object> config) {
    List<Reference> out = new ArrayList<>();
    collect("", config, out);
    return out;
  }

  /** The text inside each reference in {@code text}, in order ({@code $${} escapes none). */
  public static List<String> expressions(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = REF.matcher(text);
    while (m.find()) {
      if (!m.group().startsWith("$$")) {
        out.add(m.group(1));
      }
    }
    return out;
  }

  /** Why {@code expression} cannot be resolved in a flow with these params, or null if it can. */
  public static String problem(String expression, Map<String, ParamSpec> params) {
    if (FIXED.contains(expression) || TASK_OUTPUT.matcher(expression).matches()) {
      return null;
    }
    if (expression.startsWith("params.")) {
      String name = expression.substring("params.".length());
      return params.containsKey(name) ? null : "unknown param '" + name + "'";
    }
    return "unknown reference '${" + expression + "}'";
  }

  public static String hint(String expression, Map<String, ParamSpec> params) {
    if (expression.startsWith("params.")) {
      return params.isEmpty()
          ? "declare it under 'params:' at the top of the flow"
          : "declared params: " + String.join(", ", params.keySet());
    }
    return "use ${params.NAME}, ${run.id}, ${flow.name}, ${flow.dir}, ${task.id}, ${task.attempt} or"
        + " ${tasks.ID.outputs.NAME} or ${tasks.ID.output_dir}";
  }

  /** {@code config} with every reference replaced by {@code values.apply(expression)}. */
  public static Map<String, Object> resolve(
      Map<String, Object> config, Function<String, String> values) {
    Map<String, Object> out = new LinkedHashMap<>();
    config.forEach((k, v) -> out.put(k, resolveValue(v, values)));
    return out;
  }

  public static String resolveString(String text, Function<String, String> values) {
    Matcher m = REF.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String replacement =
          m.group().startsWith("$$") ? m.group().substring(1) : values.apply(m.group(1));
      m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  public static boolean containsReference(String text) {
    return !expressions(text).isEmpty();
  }

  private static Object resolveValue(Object value, Function<String, String> values) {
    if (value instanceof String s) {
      return resolveString(s, values);
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> out.put(String.valueOf(k), resolveValue(v, values)));
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(v -> resolveValue(v, values)).toList();
    }
    return value;
  }

  private static void collect(String path, Object value, List<Reference> out) {
    if (value instanceof String s) {
      expressions(s).forEach(e -> out.add(new Reference(path, e)));
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> collect(path.isEmpty() ? String.valueOf(k) : path + "." + k, v, out));
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        collect(path + "[" + i + "]", list.get(i), out);
      }
    }
  }
}
