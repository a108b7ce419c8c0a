package io.alphaflow.core.event;

/** Every kind of event the engine emits; the prefix is its category. */
public enum EventType {
  WORKFLOW_STARTED,
  WORKFLOW_RESUMED,
  WORKFLOW_COMPLETED,
  WORKFLOW_FAILED,
  WORKFLOW_CANCELLED,
  WORKFLOW_WAITING,
  STAGE_STARTED,
  STAGE_COMPLETED,
  TASK_QUEUED,
  TASK_STARTED,
  TASK_COMPLETED,
  TASK_CACHED,
  TASK_FAILED,
  TASK_RETRYING,
  TASK_TIMED_OUT,
  TASK_SKIPPED,
  TASK_UPSTREAM_FAILED,
  TASK_CANCELLED,
  TASK_AWAITING_APPROVAL,
  TASK_APPROVED,
  TASK_REJECTED,
  SYSTEM_ALERT,
  SYSTEM_BREAKER_CHANGED;

  /** workflow, stage, task or system. */
  public String category() {
    String n = name();
    return n.substring(0, n.indexOf('_')).toLowerCase(java.util.Locale.ROOT);
  }
}
