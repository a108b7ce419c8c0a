package io.alphaflow.core.task.builtin;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.flow.TaskSpec;
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
 * without relying on its type name. The class answers for the task throughout: its config checks,
 * whether it is cached by default, whether params are part of its key, and its code version.
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
    Optional<Task> task = find(name);
    if (task.isEmpty()) {
      return List.of(
          new ConfigProblem(
              "class",
              "no Task implementation '" + name + "' is registered",
              "put its jar on the class path and list the class in"
                  + " META-INF/services/io.alphaflow.core.task.Task"));
    }
    return task.get().validate(config);
  }

  @Override
  public List<ConfigProblem> validateInFlow(TaskSpec self, List<TaskSpec> upstream) {
    return named(self.config()).map(t -> t.validateInFlow(self, upstream)).orElse(List.of());
  }

  @Override
  public boolean idempotent(Map<String, Object> config) {
    return named(config).map(t -> t.idempotent(config)).orElse(false);
  }

  @Override
  public boolean readsParams(Map<String, Object> config) {
    return named(config).map(t -> t.readsParams(config)).orElse(true);
  }

  /**
   * The named class's own cache identity and code version: this type's code version is the
   * engine's, so a class whose code changed would otherwise be served its old results.
   */
  @Override
  public Object cacheIdentity(Map<String, Object> resolvedConfig) throws Exception {
    Task task = named(resolvedConfig).orElse(null);
    if (task == null) {
      return resolvedConfig; // execute says it is gone
    }
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("class", resolvedConfig.get("class"));
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

  private static Optional<Task> named(Map<String, Object> config) {
    return config.get("class") instanceof String name ? find(name) : Optional.empty();
  }

  private static Optional<Task> find(String className) {
    return ServiceLoader.load(Task.class, Thread.currentThread().getContextClassLoader()).stream()
        .filter(p -> p.type().getName().equals(className))
        .map(ServiceLoader.Provider::get)
        .findFirst();
  }
}
