package io.alphaflow.core.flow.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alphaflow.core.flow.ApprovalSpec;
import io.alphaflow.core.flow.Durations;
import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.flow.ParamSpec;
import io.alphaflow.core.flow.ParamType;
import io.alphaflow.core.flow.Priority;
import io.alphaflow.core.flow.RetrySpec;
import io.alphaflow.core.flow.StageSpec;
import io.alphaflow.core.flow.TaskDefaults;
import io.alphaflow.core.flow.TaskSpec;
import io.alphaflow.core.flow.TriggerRule;
import io.alphaflow.core.resilience.ResourceSpec;
import io.alphaflow.core.retry.Backoff;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns a flow document into a {@link Flow}. Lenient on purpose: a value the schema check already
 * reported becomes "unset" here, so the cross-task checks can still run and every problem is
 * reported in one pass.
 */
final class FlowBinder {
  private static final ObjectMapper JSON = new ObjectMapper();

  private FlowBinder() {}

  static Flow bind(LocatedYaml doc, String source) {
    JsonNode root = doc.root();
    Map<String, ParamSpec> params = new LinkedHashMap<>();
    root.path("params")
        .properties()
        .forEach(
            e -> {
              JsonNode p = e.getValue();
              ParamType type = enumOr(p.path("type"), ParamType::fromYaml, ParamType.STRING);
              JsonNode def = p.get("default");
              params.put(
                  e.getKey(),
                  new ParamSpec(
                      e.getKey(),
                      type,
                      def == null || def.isNull() ? null : def.asText(),
                      text(p.get("description"))));
            });
    List<TaskSpec> tasks = new ArrayList<>();
    for (JsonNode t : root.path("tasks")) {
      if (!t.isObject() || !t.path("id").isTextual()) {
        continue;
      }
      tasks.add(task(t));
    }
    List<StageSpec> stages = new ArrayList<>();
    for (JsonNode s : root.path("stages")) {
      if (s.path("id").isTextual()) {
        List<String> ids = new ArrayList<>();
        s.path("tasks").forEach(id -> ids.add(id.asText()));
        JsonNode w = s.path("window");
        stages.add(
            new StageSpec(
                s.get("id").asText(),
                text(s.get("description")),
                ids,
                time(w.get("start")),
                time(w.get("end"))));
      }
    }
    JsonNode d = root.path("defaults");
    TaskDefaults defaults =
        new TaskDefaults(
            retry(d.path("retry")),
            duration(d.get("timeout")),
            enumOr(d.path("priority"), Priority::valueOf, null),
            enumOr(d.path("trigger_rule"), TriggerRule::fromYaml, null));
    JsonNode maxConcurrent = root.get("max_concurrent_tasks");
    return new Flow(
        root.path("name").asText("unnamed"),
        text(root.get("description")),
        params,
        maxConcurrent != null && maxConcurrent.canConvertToInt() && maxConcurrent.asInt() > 0
            ? maxConcurrent.asInt()
            : null,
        duration(root.get("timeout")),
        defaults,
        stages,
        tasks,
        resources(root.path("resources")),
        doc.file(),
        source);
  }

  private static TaskSpec task(JsonNode t) {
    List<String> deps = new ArrayList<>();
    t.path("depends_on").forEach(d -> deps.add(d.asText()));
    @SuppressWarnings("unchecked")
    Map<String, Object> config =
        t.path("config").isObject() ? JSON.convertValue(t.get("config"), Map.class) : Map.of();
    return new TaskSpec(
        t.get("id").asText(),
        t.path("type").asText(""),
        text(t.get("description")),
        config,
        deps,
        enumOr(t.path("priority"), Priority::valueOf, null),
        duration(t.get("timeout")),
        retry(t.path("retry")),
        enumOr(t.path("trigger_rule"), TriggerRule::fromYaml, null),
        bool(t.get("cache")),
        t.path("retention_days").canConvertToInt() && t.get("retention_days").asInt() >= 0
            ? t.get("retention_days").asInt()
            : null,
        text(t.get("backup")),
        approval(t.get("approval")));
  }

  private static ApprovalSpec approval(JsonNode a) {
    if (a == null || a.isNull() || (a.isBoolean() && !a.asBoolean())) {
      return null;
    }
    if (a.isObject()) {
      return new ApprovalSpec(
          text(a.get("required_if")), duration(a.get("timeout")), text(a.get("message")));
    }
    return ApprovalSpec.ALWAYS; // "required" or true
  }

  private static Map<String, ResourceSpec> resources(JsonNode node) {
    Map<String, ResourceSpec> out = new LinkedHashMap<>();
    ResourceSpec d = ResourceSpec.ofDefaults();
    node.properties()
        .forEach(
            e -> {
              JsonNode r = e.getValue();
              Duration recovery = duration(r.get("recovery_timeout"));
              Duration delay = duration(r.get("retry_delay"));
              int threshold = r.path("failure_threshold").asInt(d.failureThreshold());
              int attempts = r.path("max_attempts").asInt(d.maxAttempts());
              out.put(
                  e.getKey(),
                  new ResourceSpec(
                      Math.max(1, threshold),
                      recovery != null ? recovery : d.recoveryTimeout(),
                      Math.max(1, attempts),
                      delay != null ? delay : d.retryDelay()));
            });
    return out;
  }

  static RetrySpec retry(JsonNode r) {
    if (!r.isObject()) {
      return RetrySpec.EMPTY;
    }
    List<Integer> codes = null;
    if (r.path("retry_on_exit_codes").isArray()) {
      codes = new ArrayList<>();
      for (JsonNode c : r.get("retry_on_exit_codes")) {
        if (c.canConvertToInt()) {
          codes.add(c.asInt());
        }
      }
    }
    JsonNode max = r.get("max_attempts");
    JsonNode factor = r.get("factor");
    return new RetrySpec(
        max != null && max.canConvertToInt() && max.asInt() >= 1 ? max.asInt() : null,
        enumOr(r.path("backoff"), Backoff::fromYaml, null),
        duration(r.get("base_delay")),
        duration(r.get("max_delay")),
        factor != null && factor.isNumber() && factor.asDouble() >= 1 ? factor.asDouble() : null,
        bool(r.get("jitter")),
        codes,
        bool(r.get("retry_on_timeout")),
        bool(r.get("retry_on_error")));
  }

  private static Duration duration(JsonNode n) {
    if (n == null || !(n.isTextual() || n.isIntegralNumber())) {
      return null;
    }
    try {
      Duration d = Durations.parse(n.asText());
      return d.isNegative() ? null : d;
    } catch (IllegalArgumentException e) {
      return null; // reported by the schema check
    }
  }

  private static LocalTime time(JsonNode n) {
    try {
      return n == null ? null : LocalTime.parse(n.asText());
    } catch (RuntimeException e) {
      return null; // reported by the schema check
    }
  }

  private static Boolean bool(JsonNode n) {
    return n != null && n.isBoolean() ? n.asBoolean() : null;
  }

  private static String text(JsonNode n) {
    return n == null || n.isNull() ? null : n.asText();
  }

  private static <E> E enumOr(JsonNode n, Function<String, E> parse, E fallback) {
    if (!n.isTextual()) {
      return fallback;
    }
    try {
      return parse.apply(n.asText());
    } catch (IllegalArgumentException e) {
      return fallback; // reported by the schema check
    }
  }
}
