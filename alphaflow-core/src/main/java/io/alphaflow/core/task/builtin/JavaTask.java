package io.alphaflow.core.task.builtin;

import io.alphaflow.core.approval.Approval;
import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.flow.TaskSpec;
import io.alphaflow.core.model.ModelRegistry;
import io.alphaflow.core.task.Cancellation;
import io.alphaflow.core.task.ExternalCalls;
import io.alphaflow.core.task.Task;
import io.alphaflow.core.task.TaskContext;
import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.core.task.TaskLog;
import io.alphaflow.core.task.TaskRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Runs a {@link Task} implementation named by class in {@code config.class}. The class must be
 * registered with {@link ServiceLoader} like any task type; this form lets a flow name a class
 * without relying on its type name. The class answers for the task throughout: its config checks,
 * whether it is cached by default, whether params are part of its key, and its code version. It
 * sees its config without {@code class}, as it would under its own type name, so a class that
 * refuses keys it does not know runs either way.
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
    Map<String, Object> own = own(config);
    List<ConfigProblem> problems = new ArrayList<>(TaskRegistry.unknownKeys(task.get(), own));
    problems.addAll(task.get().validate(own));
    return problems;
  }

  @Override
  public String approvalSubject(Map<String, Object> resolvedConfig, ModelRegistry models)
      throws Exception {
    Task task = named(resolvedConfig).orElse(null);
    return task == null ? null : task.approvalSubject(own(resolvedConfig), models);
  }

  @Override
  public List<ConfigProblem> validateInFlow(TaskSpec self, List<TaskSpec> upstream) {
    return named(self.config()).map(t -> t.validateInFlow(self, upstream)).orElse(List.of());
  }

  @Override
  public boolean idempotent(Map<String, Object> config) {
    return named(config).map(t -> t.idempotent(own(config))).orElse(false);
  }

  @Override
  public boolean readsParams(Map<String, Object> config) {
    return named(config).map(t -> t.readsParams(own(config))).orElse(true);
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
    identity.put("work", task.cacheIdentity(own(resolvedConfig)));
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
    try {
      task.execute(new OwnConfig(context, own(context.config())));
    } catch (TaskFailure | InterruptedException e) {
      throw e;
    } catch (Exception e) {
      // the class's word on whether a retry can help, which the engine asks only of this type
      if (!task.retryable(e)) {
        throw TaskFailure.nonRetryable(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
      }
      throw e;
    }
  }

  /** A task's config as its class sees it: without {@code class}, which names the class. */
  private static Map<String, Object> own(Map<String, Object> config) {
    Map<String, Object> own = new LinkedHashMap<>(config);
    own.remove("class");
    return own;
  }

  /** The attempt's context, with the class's own config. */
  private record OwnConfig(TaskContext context, Map<String, Object> config) implements TaskContext {
    @Override
    public String runId() {
      return context.runId();
    }

    @Override
    public String flowName() {
      return context.flowName();
    }

    @Override
    public String taskId() {
      return context.taskId();
    }

    @Override
    public int attempt() {
      return context.attempt();
    }

    @Override
    public Map<String, String> params() {
      return context.params();
    }

    @Override
    public TaskLog log() {
      return context.log();
    }

    @Override
    public Path outputDir() {
      return context.outputDir();
    }

    @Override
    public boolean isPublishedOutput(Path file) {
      return context.isPublishedOutput(file);
    }

    @Override
    public Cancellation cancellation() {
      return context.cancellation();
    }

    @Override
    public void output(String name, String value) {
      context.output(name, value);
    }

    @Override
    public ExternalCalls external() {
      return context.external();
    }

    @Override
    public Optional<Approval> approval() {
      return context.approval();
    }

    @Override
    public ModelRegistry models() {
      return context.models();
    }
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
