package io.alphaflow.cli;

import io.alphaflow.core.model.ModelRegistry;
import io.alphaflow.core.model.ModelVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How model versions look on the terminal and in {@code --json}. */
final class ModelViews {
  private ModelViews() {}

  static ModelRegistry registry(Workspace ws) {
    return new ModelRegistry(ws.store(), ws.home(), java.time.Clock.systemUTC());
  }

  static List<String> aliasesOf(ModelRegistry registry, ModelVersion v) {
    return ModelRegistry.ALIASES.stream()
        .filter(
            a ->
                registry.alias(v.name(), a).map(x -> x.version().equals(v.version())).orElse(false))
        .toList();
  }

  static Map<String, Object> json(ModelRegistry registry, ModelVersion v) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", v.name());
    m.put("version", v.version());
    m.put("aliases", aliasesOf(registry, v));
    m.put("created_at", RunViews.text(v.createdAt()));
    m.put("run_id", v.runId());
    m.put("path", v.path());
    m.put("pruned", registry.pruned(v).orElse(null));
    m.put("manifest", v.manifestMap());
    return m;
  }

  /** A metric's value: counts as whole numbers, measures to four places, none as "-". */
  static String number(Object v) {
    if (v == null) {
      return "-";
    }
    if (isCount(v)) {
      return v.toString();
    }
    return v instanceof Number n
        ? String.format(java.util.Locale.ROOT, "%.4f", n.doubleValue())
        : String.valueOf(v);
  }

  /** The change from {@code from} to {@code to}, signed, as {@link #number} shows them. */
  static String change(Object from, Object to) {
    if (isCount(from) && isCount(to)) {
      return String.format(
          java.util.Locale.ROOT, "%+d", ((Number) to).longValue() - ((Number) from).longValue());
    }
    return from instanceof Number x && to instanceof Number y
        ? String.format(java.util.Locale.ROOT, "%+.4f", y.doubleValue() - x.doubleValue())
        : "";
  }

  private static boolean isCount(Object v) {
    return v instanceof Integer || v instanceof Long || v instanceof Short;
  }
}
