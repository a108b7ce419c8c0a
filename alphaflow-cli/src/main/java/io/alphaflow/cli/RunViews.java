package io.alphaflow.cli;

import io.alphaflow.core.approval.Approval;
import io.alphaflow.core.flow.Durations;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.TaskRunRecord;
import io.alphaflow.core.run.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/** How runs and task runs look on the terminal and in {@code --json}. */
final class RunViews {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

  private RunViews() {}

  static Map<String, Object> runJson(
      RunRecord run, List<TaskRunRecord> tasks, List<Approval> approvals) {
    Map<String, Object> m = runSummaryJson(run);
    m.put("params", run.params());
    m.put("owner", run.owner());
    m.put("tasks", tasks.stream().map(RunViews::taskJson).toList());
    m.put(
        "approvals",
        approvals.stream()
            .map(
                a -> {
                  Map<String, Object> j = new LinkedHashMap<>();
                  j.put("task", a.taskId());
                  j.put("decision", a.decision().name());
                  j.put("by", a.by());
                  j.put("comment", a.comment());
                  j.put("at", text(a.at()));
                  return j;
                })
            .toList());
    return m;
  }

  static Map<String, Object> runSummaryJson(RunRecord run) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("run_id", run.runId());
    m.put("flow", run.flowName());
    m.put("state", run.state().name());
    m.put("created_at", text(run.createdAt()));
    m.put("ended_at", text(run.endedAt()));
    m.put("error", run.error());
    return m;
  }

  static Map<String, Object> taskJson(TaskRunRecord t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", t.taskId());
    m.put("state", t.state().name());
    m.put("attempts", t.attempt());
    m.put("started_at", text(t.startedAt()));
    m.put("ended_at", text(t.endedAt()));
    m.put("duration_ms", duration(t) == null ? null : duration(t).toMillis());
    m.put("next_attempt_at", text(t.nextAttemptAt()));
    m.put("exit_code", t.exitCode());
    m.put("error", t.error());
    m.put("outputs", t.outputs());
    m.put("artifact", t.artifact());
    return m;
  }

  /** A decision on a task, as status shows it: who, when and why. */
  static String approvalLine(Approval a) {
    return "approval: " + a.taskId() + " " + a.describe();
  }

  static String runText(
      RunRecord run, List<TaskRunRecord> tasks, List<Approval> approvals, String homeFlag) {
    StringBuilder sb = new StringBuilder();
    sb.append("run ")
        .append(run.runId())
        .append("  flow ")
        .append(run.flowName())
        .append("  ")
        .append(run.state())
        .append('\n');
    sb.append("created ").append(CLOCK.format(run.createdAt()));
    if (run.endedAt() != null) {
      sb.append(", ended ")
          .append(CLOCK.format(run.endedAt()))
          .append(" (")
          .append(Durations.format(Duration.between(run.createdAt(), run.endedAt())))
          .append(')');
    }
    sb.append('\n');
    if (!run.params().isEmpty()) {
      sb.append("params ");
      run.params().forEach((k, v) -> sb.append(k).append('=').append(v).append(' '));
      sb.append('\n');
    }
    if (run.error() != null) {
      sb.append("error: ").append(run.error()).append('\n');
    }
    sb.append('\n').append(taskTable(tasks));
    for (Approval a : approvals) {
      sb.append(approvalLine(a)).append('\n');
    }
    Instant now = Instant.now();
    for (TaskRunRecord t : tasks) {
      if (t.state() != TaskState.AWAITING_APPROVAL) {
        continue;
      }
      if (t.nextAttemptAt() != null && !now.isBefore(t.nextAttemptAt())) {
        sb.append("expired: ")
            .append(t.taskId())
            .append(" had no decision by ")
            .append(clock(t.nextAttemptAt()))
            .append(", so the timeout rejects it\n  resume:  alphaflow resume ")
            .append(run.runId())
            .append(homeFlag)
            .append("   (records the rejection; the task fails)\n");
      } else {
        sb.append("waiting: ")
            .append(t.taskId())
            .append(
                t.nextAttemptAt() == null
                    ? ""
                    : " (rejected if undecided by " + clock(t.nextAttemptAt()) + ")")
            .append(t.error() == null ? "" : "\n  request: " + t.error())
            .append("\n  approve: alphaflow approve ")
            .append(run.runId())
            .append(' ')
            .append(t.taskId())
            .append(homeFlag)
            .append(" --by NAME --comment TEXT\n  reject:  alphaflow reject ")
            .append(run.runId())
            .append(' ')
            .append(t.taskId())
            .append(homeFlag)
            .append(" --by NAME --comment WHY\n");
      }
    }
    return sb.toString();
  }

  static String taskTable(List<TaskRunRecord> tasks) {
    Table table = new Table("TASK", "STATE", "ATTEMPTS", "STARTED", "DURATION", "EXIT", "DETAIL");
    for (TaskRunRecord t : tasks) {
      Duration d = duration(t);
      table.row(
          t.taskId(),
          t.state(),
          t.attempt(),
          t.startedAt() == null ? null : CLOCK.format(t.startedAt()).substring(11),
          d == null ? null : Durations.format(d),
          t.exitCode(),
          detail(t));
    }
    return table.render();
  }

  private static String detail(TaskRunRecord t) {
    if (t.state() == TaskState.RETRYING && t.nextAttemptAt() != null) {
      return "next attempt at " + CLOCK.format(t.nextAttemptAt()) + "; last: " + t.error();
    }
    if (t.state() == TaskState.AWAITING_APPROVAL && t.error() != null) {
      return cut(t.error(), 100); // whole under the table, with the commands that decide it
    }
    if (t.error() != null) {
      return t.error();
    }
    return outputsLine(t.outputs());
  }

  /**
   * A task's outputs on one line, as {@code name=value}: content hashes cut to 12 characters,
   * decimals to 4 places, long values and the line itself cut short.
   */
  static String outputsLine(Map<String, String> outputs) {
    StringJoiner line = new StringJoiner(", ");
    outputs.forEach((k, v) -> line.add(k + "=" + compact(v)));
    return cut(line.toString(), 100);
  }

  private static String compact(String v) {
    if (v.length() > 16 && v.matches("[0-9a-f]+")) {
      return v.substring(0, 12);
    }
    try {
      double d = Double.parseDouble(v);
      if (v.contains(".")) {
        return String.format(Locale.ROOT, "%.4f", d);
      }
    } catch (NumberFormatException e) {
      // not a number: shown as it is
    }
    return cut(v, 40);
  }

  private static String cut(String s, int max) {
    return s.length() > max ? s.substring(0, max - 3) + "..." : s;
  }

  private static Duration duration(TaskRunRecord t) {
    if (t.startedAt() == null) {
      return null;
    }
    Instant end = t.endedAt() != null ? t.endedAt() : Instant.now();
    return end.isBefore(t.startedAt()) ? null : Duration.between(t.startedAt(), end);
  }

  static String text(Instant t) {
    return t == null ? null : t.toString();
  }

  static String clock(Instant t) {
    return CLOCK.format(t);
  }
}
