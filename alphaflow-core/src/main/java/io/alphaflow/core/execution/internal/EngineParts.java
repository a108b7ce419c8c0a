package io.alphaflow.core.execution.internal;

import io.alphaflow.core.backup.Backups;
import io.alphaflow.core.event.EventBus;
import io.alphaflow.core.model.ModelRegistry;
import io.alphaflow.core.resilience.Breakers;
import io.alphaflow.core.store.Store;
import io.alphaflow.core.task.TaskRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.ExecutorService;
import java.util.function.DoubleSupplier;

/** What every run loop of one engine shares. */
public record EngineParts(
    Store store,
    TaskRegistry tasks,
    EventBus events,
    InstantSource clock,
    ExecutorService workers,
    Path home,
    String owner,
    DoubleSupplier random,
    Duration heartbeatInterval,
    Breakers breakers,
    Backups backups,
    ModelRegistry models) {

  public Path logDir(String runId, String taskId) {
    return home.resolve("logs").resolve(runId).resolve(taskId);
  }

  public Path outputDir(String runId, String taskId) {
    return home.resolve("outputs").resolve(runId).resolve(taskId);
  }
}
