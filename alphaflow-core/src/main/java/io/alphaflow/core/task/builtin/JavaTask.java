package io.alphaflow.core.task.builtin;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.task.Task;
import io.alphaflow.core.task.TaskContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Runs a {@link Task} implementation named by class in {@code config.class}. The class must be
 * registered with {@link ServiceLoader} like any task type; this form lets a flow name a class
 * without relying on its type name.
 */
public final class JavaTask implements Task {
  @Override
  public String type() {
    return "java";
  }

  @Override
  public List<ConfigProblem> validate(Map<String, Object> config) {
    Object cls = config.get("class");
    if (!(cls instanceof String name) || name.isBlank()) {
      return List.of(new ConfigProblem("", "missing 'class'", "e.g. class: com.example.MyTask"));
    }
    if (find(name).isEmpty()) {
      return List.of(
          new ConfigProblem(
              "class",
              "no Task implementation '" + name + "' is registered",
              "put its jar on the class path and list the class in"
                  + " META-INF/services/io.alphaflow.core.task.Task"));
    }
    return List.of();
  }

  /**
   * The named class's own cache identity and code version: this type's code version is the
   * engine's, so a class whose code changed would otherwise be served its old results.
   */
  @Override
  public Object cacheIdentity(Map<String, Object> resolvedConfig) throws Exception {
    String name = String.valueOf(resolvedConfig.get("class"));
    Task task = find(name).orElse(null);
    if (task == null) {
      return resolvedConfig; // execute says it is gone
    }
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("class", name);
    identity.put("code_version", task.codeVersion());
    identity.put("work", task.cacheIdentity(resolvedConfig));
    return identity;
  }

  @Override
  public void execute(TaskContext context) throws Exception {
    String name = String.valueOf(context.config().get("class"));
    Task task =
        find(name)
            .orElseThrow(
                () ->
                    new IllegalStateException("Task class '" + name + "' is no longer registered"));
    task.execute(context);
  }

  private static Optional<Task> find(String className) {
    return ServiceLoader.load(Task.class, Thread.currentThread().getContextClassLoader()).stream()
        .filter(p -> p.type().getName().equals(className))
        .map(ServiceLoader.Provider::get)
        .findFirst();
  }
}
