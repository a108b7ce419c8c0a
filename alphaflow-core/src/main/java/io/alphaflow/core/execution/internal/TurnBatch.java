package io.alphaflow.core.execution.internal;

import io.alphaflow.core.artifact.Artifact;
import io.alphaflow.core.backup.BackupItem;
import io.alphaflow.core.event.Event;
import io.alphaflow.core.event.EventBus;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.TaskRunRecord;
import io.alphaflow.core.store.Store;
import io.alphaflow.core.store.StoreBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one turn of the run loop changed: task records (the last state of each), events (every
 * transition), the run record, and the actions that must wait until all of it is committed.
 */
final class TurnBatch {
  private final Store store;
  private final EventBus bus;
  private final Map<String, TaskRunRecord> tasks = new LinkedHashMap<>();
  private final List<Event> events = new ArrayList<>();
  private final List<Runnable> afterCommit = new ArrayList<>();
  private final List<Artifact> artifacts = new ArrayList<>();
  private final List<BackupItem> backups = new ArrayList<>();
  private RunRecord run;

  TurnBatch(Store store, EventBus bus) {
    this.store = store;
    this.bus = bus;
  }

  void task(TaskRunRecord r) {
    tasks.put(r.taskId(), r);
  }

  void event(Event e) {
    events.add(e);
  }

  void artifact(Artifact a) {
    artifacts.add(a);
  }

  void backup(BackupItem b) {
    backups.add(b);
  }

  void run(RunRecord r) {
    run = r;
  }

  /** Runs {@code action} only after this turn's changes are durable. */
  void afterCommit(Runnable action) {
    afterCommit.add(action);
  }

  /** Commits, then acts: starts attempts, then tells listeners. */
  void flush() {
    if (tasks.isEmpty()
        && events.isEmpty()
        && run == null
        && artifacts.isEmpty()
        && backups.isEmpty()) {
      return;
    }
    store.commit(new StoreBatch(run, List.copyOf(tasks.values()), events, artifacts, backups));
    artifacts.clear();
    backups.clear();
    List<Event> published = List.copyOf(events);
    List<Runnable> actions = List.copyOf(afterCommit);
    tasks.clear();
    events.clear();
    afterCommit.clear();
    run = null;
    actions.forEach(Runnable::run);
    if (bus.hasListeners()) {
      published.forEach(bus::publish);
    }
  }
}
