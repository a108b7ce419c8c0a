package io.alphaflow.core.execution.internal;

import io.alphaflow.core.task.Cancellation;
import io.alphaflow.core.task.ExternalCalls;
import io.alphaflow.core.task.TaskContext;
import io.alphaflow.core.task.TaskLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@link TaskContext} of one attempt. */
final class AttemptContext implements TaskContext {
  private final String runId;
  private final String flowName;
  private final String taskId;
  private final int attempt;
  private final Map<String, Object> config;
  private final Map<String, String> params;
  private final TaskLog log;
  private final Path stagingDir;
  private final Cancellation cancellation;
  private final ExternalCalls external;
  private final io.alphaflow.core.model.ModelRegistry models;
  private final Map<String, String> outputs = Collections.synchronizedMap(new LinkedHashMap<>());
  private volatile boolean stagingCreated;

  AttemptContext(
      String runId,
      String flowName,
      String taskId,
      int attempt,
      Map<String, Object> config,
      Map<String, String> params,
      TaskLog log,
      Path stagingDir,
      Cancellation cancellation,
      ExternalCalls external,
      io.alphaflow.core.model.ModelRegistry models) {
    this.runId = runId;
    this.flowName = flowName;
    this.taskId = taskId;
    this.attempt = attempt;
    this.config = config;
    this.params = params;
    this.log = log;
    this.stagingDir = stagingDir;
    this.cancellation = cancellation;
    this.external = external;
    this.models = models;
  }

  @Override
  public ExternalCalls external() {
    return external;
  }

  @Override
  public java.util.Optional<io.alphaflow.core.approval.Approval> approval() {
    return models.approval(runId, taskId);
  }

  @Override
  public io.alphaflow.core.model.ModelRegistry models() {
    return models;
  }

  @Override
  public String runId() {
    return runId;
  }

  @Override
  public String flowName() {
    return flowName;
  }

  @Override
  public String taskId() {
    return taskId;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Map<String, Object> config() {
    return config;
  }

  @Override
  public Map<String, String> params() {
    return params;
  }

  @Override
  public TaskLog log() {
    return log;
  }

  @Override
  public Path outputDir() {
    if (!stagingCreated) {
      try {
        Files.createDirectories(stagingDir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create output directory " + stagingDir, e);
      }
      stagingCreated = true;
    }
    return stagingDir;
  }

  /** Under {@code <home>/outputs/<run>/<task>/}, the staging directories of attempts excepted. */
  @Override
  public boolean isPublishedOutput(Path file) {
    try {
      Path outputs = stagingDir.getParent().getParent().toRealPath();
      Path real = file.toRealPath();
      return real.startsWith(outputs)
          && real.getNameCount() > outputs.getNameCount() + 2
          && !real.getName(outputs.getNameCount() + 1).toString().contains(".staging-");
    } catch (IOException e) {
      return false;
    }
  }

  boolean usedOutputDir() {
    return stagingCreated;
  }

  Path stagingDir() {
    return stagingDir;
  }

  @Override
  public Cancellation cancellation() {
    return cancellation;
  }

  @Override
  public void output(String name, String value) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("an output needs a name");
    }
    outputs.put(name, value == null ? "" : value);
  }

  Map<String, String> outputs() {
    synchronized (outputs) {
      return new LinkedHashMap<>(outputs);
    }
  }
}
