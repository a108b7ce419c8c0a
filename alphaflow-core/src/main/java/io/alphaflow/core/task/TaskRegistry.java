package io.alphaflow.core.task;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.flow.TaskSpec;
import io.alphaflow.core.flow.TaskTypes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/** The task types this process can run, found with {@link ServiceLoader}, by name. */
public final class TaskRegistry implements TaskTypes {
  private final Map<String, Task> byType;

  private TaskRegistry(Map<String, Task> byType) {
    this.byType = Collections.unmodifiableMap(byType);
  }

  /** Every {@link Task} registered on the class path of {@code loader}. */
  public static TaskRegistry load(ClassLoader loader) {
    Map<String, Task> byType = new TreeMap<>();
    for (Task t : ServiceLoader.load(Task.class, loader)) {
      Task previous = byType.putIfAbsent(t.type(), t);
      if (previous != null && previous.getClass() != t.getClass()) {
        throw new IllegalStateException(
            "two task classes claim type '"
                + t.type()
                + "': "
                + previous.getClass().getName()
                + " and "
                + t.getClass().getName()
                + "; rename one");
      }
    }
    return new TaskRegistry(byType);
  }

  public static TaskRegistry loadDefault() {
    return load(Thread.currentThread().getContextClassLoader());
  }

  /** A registry of exactly these tasks (tests, embedding). */
  public static TaskRegistry of(Task... tasks) {
    Map<String, Task> byType = new TreeMap<>();
    for (Task t : tasks) {
      byType.put(t.type(), t);
    }
    return new TaskRegistry(byType);
  }

  /** This registry plus {@code more}, which win on a name clash. */
  public TaskRegistry with(Task... more) {
    Map<String, Task> byType = new TreeMap<>(this.byType);
    for (Task t : more) {
      byType.put(t.type(), t);
    }
    return new TaskRegistry(byType);
  }

  public Task get(String type) {
    Task t = byType.get(type);
    if (t == null) {
      throw new IllegalArgumentException("unknown task type '" + type + "'");
    }
    return t;
  }

  @Override
  public Set<String> names() {
    return byType.keySet();
  }

  @Override
  public List<ConfigProblem> validate(String type, Map<String, Object> config) {
    Task task = get(type);
    List<ConfigProblem> problems = new ArrayList<>(unknownKeys(task, config));
    problems.addAll(task.validate(config));
    return problems;
  }

  /** A problem for each key of {@code config} that {@code task}'s {@link Task#configKeys} lacks. */
  public static List<ConfigProblem> unknownKeys(Task task, Map<String, Object> config) {
    Set<String> known = task.configKeys();
    return known == null
        ? List.of()
        : ConfigProblem.unknownKeys(
            "", task.type() + " takes no config key", config, known.stream().sorted().toList());
  }

  @Override
  public List<ConfigProblem> validateInFlow(String type, TaskSpec self, List<TaskSpec> upstream) {
    return get(type).validateInFlow(self, upstream);
  }
}
