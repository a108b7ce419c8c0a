package io.alphaflow.core.store;

import io.alphaflow.core.artifact.Artifact;
import io.alphaflow.core.backup.BackupItem;
import io.alphaflow.core.event.Event;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.TaskRunRecord;
import java.util.List;

/**
 * Changes committed together: a run update (or null), task run updates, new events, new artifacts.
 */
public record StoreBatch(
    RunRecord run,
    List<TaskRunRecord> taskRuns,
    List<Event> events,
    List<Artifact> artifacts,
    List<BackupItem> backups) {
  public StoreBatch {
    taskRuns = List.copyOf(taskRuns);
    events = List.copyOf(events);
    artifacts = List.copyOf(artifacts);
    backups = List.copyOf(backups);
  }

  public StoreBatch(RunRecord run, List<TaskRunRecord> taskRuns, List<Event> events) {
    this(run, taskRuns, events, List.of(), List.of());
  }

  public StoreBatch(
      RunRecord run, List<TaskRunRecord> taskRuns, List<Event> events, List<Artifact> artifacts) {
    this(run, taskRuns, events, artifacts, List.of());
  }

  public boolean isEmpty() {
    return run == null
        && taskRuns.isEmpty()
        && events.isEmpty()
        && artifacts.isEmpty()
        && backups.isEmpty();
  }
}
