package io.alphaflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.alphaflow.core.model.ModelRegistry;
import io.alphaflow.core.model.ModelVersion;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How model versions look on the terminal and in {@code --json}. */
final class ModelViews {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ModelViews() {}

  static ModelRegistry registry(Workspace ws) {
    return new ModelRegistry(ws.store(), ws.home(), java.time.Clock.systemUTC());
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> manifest(ModelVersion v) {
    try {
      return v.manifest() == null ? Map.of() : JSON.readValue(v.manifest(), Map.class);
    } catch (java.io.IOException e) {
      return Map.of("error", "unreadable manifest: " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> metrics(ModelVersion v) {
    Object m = manifest(v).get("metrics");
    return m instanceof Map<?, ?> ? (Map<String, Object>) m : Map.of();
  }

  static List<String> aliasesOf(ModelRegistry registry, ModelVersion v) {
    return List.of(ModelRegistry.CHAMPION, ModelRegistry.CHALLENGER).stream()
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
    m.put("manifest", manifest(v));
    return m;
  }

  static String number(Object v) {
    return v instanceof Number n
        ? String.format(java.util.Locale.ROOT, "%.4f", n.doubleValue())
        : String.valueOf(v);
  }
}
