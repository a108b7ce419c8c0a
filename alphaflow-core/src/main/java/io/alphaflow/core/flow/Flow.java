package io.alphaflow.core.flow;

import io.alphaflow.core.resilience.ResourceSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated flow: its tasks form a DAG, every reference resolves, every task type exists. Made by
 * {@link FlowLoader}; {@code source} keeps the YAML text so a run can be resumed with exactly the
 * flow it started with.
 */
public record Flow(
    String name,
    String description,
    Map<String, ParamSpec> params,
    Integer maxConcurrentTasks,
    Duration timeout,
    TaskDefaults defaults,
    List<StageSpec> stages,
    List<TaskSpec> tasks,
    Map<String, ResourceSpec> resources,
    String fileName,
    String source) {

  public Flow {
    Objects.requireNonNull(name, "name");
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    defaults = defaults == null ? TaskDefaults.EMPTY : defaults;
    stages = List.copyOf(stages);
    tasks = List.copyOf(tasks);
    resources = resources == null ? Map.of() : Map.copyOf(resources);
  }

  /**
   * The flow file's absolute path (its name as given, from the directory alphaflow runs in), or
   * null for a flow that was not read from a file.
   */
  public Path path() {
    return fileName == null ? null : Path.of(fileName).toAbsolutePath().normalize();
  }

  /**
   * The directory {@code ${flow.dir}} names: the flow file's, so a flow can name files beside it
   * whatever directory it runs from; the directory alphaflow runs in for a flow not read from a
   * file.
   */
  public Path dir() {
    Path path = path();
    return path == null || path.getParent() == null
        ? Path.of("").toAbsolutePath()
        : path.getParent();
  }

  public Optional<TaskSpec> task(String id) {
    return tasks.stream().filter(t -> t.id().equals(id)).findFirst();
  }

  public Optional<StageSpec> stageOf(String taskId) {
    return stages.stream().filter(s -> s.taskIds().contains(taskId)).findFirst();
  }
}
