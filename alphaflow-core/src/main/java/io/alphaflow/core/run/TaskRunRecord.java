package io.alphaflow.core.run;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One task of one run as stored. {@code attempt} counts attempts started so far; {@code
 * attemptFloor} is how many of those a resume forgave, so the retry budget counts {@code attempt -
 * attemptFloor}. {@code outputs} are the named values the task published; {@code artifact} is the
 * content hash of the files it produced, if any; {@code cacheKey} identifies its inputs for result
 * reuse (null when the task is not cached).
 */
public record TaskRunRecord(
    String runId,
    String taskId,
    TaskState state,
    int attempt,
    int attemptFloor,
    Instant startedAt,
    Instant endedAt,
    Instant nextAttemptAt,
    Integer exitCode,
    String error,
    Map<String, String> outputs,
    String artifact,
    String cacheKey) {

  public TaskRunRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(state, "state");
    outputs = Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
  }

  public static TaskRunRecord pending(String runId, String taskId) {
    return new TaskRunRecord(
        runId, taskId, TaskState.PENDING, 0, 0, null, null, null, null, null, Map.of(), null, null);
  }

  /** Attempts that count against the retry budget. */
  public int countedAttempts() {
    return attempt - attemptFloor;
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Copies with changes; {@link #build()} checks the state move against {@link TaskState}. */
  public static final class Builder {
    private final TaskRunRecord from;
    private TaskState state;
    private int attempt;
    private int attemptFloor;
    private Instant startedAt;
    private Instant endedAt;
    private Instant nextAttemptAt;
    private Integer exitCode;
    private String error;
    private Map<String, String> outputs;
    private String artifact;
    private String cacheKey;

    private Builder(TaskRunRecord r) {
      from = r;
      state = r.state;
      attempt = r.attempt;
      attemptFloor = r.attemptFloor;
      startedAt = r.startedAt;
      endedAt = r.endedAt;
      nextAttemptAt = r.nextAttemptAt;
      exitCode = r.exitCode;
      error = r.error;
      outputs = r.outputs;
      artifact = r.artifact;
      cacheKey = r.cacheKey;
    }

    public Builder state(TaskState s) {
      state = s;
      return this;
    }

    public Builder attempt(int a) {
      attempt = a;
      return this;
    }

    public Builder attemptFloor(int f) {
      attemptFloor = f;
      return this;
    }

    public Builder startedAt(Instant t) {
      startedAt = t;
      return this;
    }

    public Builder endedAt(Instant t) {
      endedAt = t;
      return this;
    }

    public Builder nextAttemptAt(Instant t) {
      nextAttemptAt = t;
      return this;
    }

    public Builder exitCode(Integer c) {
      exitCode = c;
      return this;
    }

    public Builder error(String e) {
      error = e;
      return this;
    }

    public Builder outputs(Map<String, String> o) {
      outputs = o;
      return this;
    }

    public Builder artifact(String hash) {
      artifact = hash;
      return this;
    }

    public Builder cacheKey(String key) {
      cacheKey = key;
      return this;
    }

    public TaskRunRecord build() {
      if (state != from.state) {
        from.state.moveTo(state, from.taskId);
      }
      return new TaskRunRecord(
          from.runId,
          from.taskId,
          state,
          attempt,
          attemptFloor,
          startedAt,
          endedAt,
          nextAttemptAt,
          exitCode,
          error,
          outputs,
          artifact,
          cacheKey);
    }
  }
}
