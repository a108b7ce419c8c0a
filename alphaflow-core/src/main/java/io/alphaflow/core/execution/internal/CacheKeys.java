package io.alphaflow.core.execution.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.alphaflow.core.artifact.ContentHash;
import io.alphaflow.core.task.Task;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A task's cache key: SHA-256 of its type, code version, what identifies its work (its resolved
 * config, as the task type sees it), the run's params if the type reads them ({@link
 * Task#readsParams}) and its upstream artifacts. Paths of upstream output directories are replaced
 * by those artifacts' hashes, so the key does not depend on which run made them.
 */
final class CacheKeys {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private CacheKeys() {}

  /** {@code upstream}: each upstream task's output directory → its artifact hash. */
  static String key(
      Task task,
      Map<String, Object> resolvedConfig,
      Map<String, String> params,
      Map<String, String> upstream)
      throws Exception {
    Map<String, Object> parts = new LinkedHashMap<>();
    parts.put("type", task.type());
    parts.put("version", task.codeVersion());
    parts.put("work", task.cacheIdentity(resolvedConfig));
    parts.put("params", task.readsParams(resolvedConfig) ? new TreeMap<>(params) : Map.of());
    parts.put("inputs", new TreeMap<>(upstream).values());
    String text = JSON.writeValueAsString(parts);
    for (Map.Entry<String, String> u : upstream.entrySet()) {
      text = text.replace(u.getKey(), "artifact:" + u.getValue());
    }
    return ContentHash.sha256Hex(text.getBytes(StandardCharsets.UTF_8));
  }
}
