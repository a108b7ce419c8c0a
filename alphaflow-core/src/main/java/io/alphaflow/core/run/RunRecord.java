package io.alphaflow.core.run;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One run of a flow as stored: the flow's YAML as it was at the start (so resume runs the same
 * flow), resolved params, state, and the process that owns it with its last heartbeat.
 */
public record RunRecord(
    String runId,
    String flowName,
    String flowFile,
    String flowSource,
    Map<String, String> params,
    RunState state,
    Instant createdAt,
    Instant endedAt,
    String owner,
    Instant heartbeatAt,
    String error) {

  public RunRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(state, "state");
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }

  /** A new run, RUNNING since {@code createdAt}: no end, owner, heartbeat or error yet. */
  public static RunRecord created(
      String runId,
      String flowName,
      String flowFile,
      String flowSource,
      Map<String, String> params,
      Instant createdAt) {
    return new RunRecord(
        runId,
        flowName,
        flowFile,
        flowSource,
        params,
        RunState.RUNNING,
        createdAt,
        null,
        null,
        null,
        null);
  }

  public RunRecord withState(RunState next, Instant at, String why) {
    return new RunRecord(
        runId,
        flowName,
        flowFile,
        flowSource,
        params,
        next,
        createdAt,
        next.isTerminal() ? at : null,
        owner,
        heartbeatAt,
        why);
  }

  public RunRecord withOwner(String newOwner, Instant at) {
    return new RunRecord(
        runId,
        flowName,
        flowFile,
        flowSource,
        params,
        state,
        createdAt,
        endedAt,
        newOwner,
        at,
        error);
  }
}
