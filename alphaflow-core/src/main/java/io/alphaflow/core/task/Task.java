package io.alphaflow.core.task;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.flow.TaskSpec;
import io.alphaflow.core.model.ModelRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A task type: the unit of work a flow's {@code type:} names. Implementations are found with {@link
 * java.util.ServiceLoader} (list the class in {@code
 * META-INF/services/io.alphaflow.core.task.Task}), so a jar on the class path adds task types
 * without touching the engine. One instance serves every task of its type, from several threads at
 * once: keep per-run state in locals.
 *
 * <p>To succeed, return. To fail, throw: a {@link TaskFailure} says what kind of failure it was and
 * whether a retry can help; anything else counts as a retryable error unless {@link #retryable}
 * says otherwise. Check {@link TaskContext#cancellation()} in long loops, and stop when it is
 * cancelled (timeouts and run cancellation use it and also interrupt the thread).
 */
public interface Task {

  /** The name flows use in {@code type:}, e.g. {@code shell}. */
  String type();

  /**
   * The config keys this type reads, or null to take any (the default). A key not among them is
   * refused when the flow loads, naming the closest one: a misspelt key would otherwise leave a
   * default in place without a word ({@code sed: 4} for {@code seed}).
   */
  default Set<String> configKeys() {
    return null;
  }

  /** Problems with a task's config, reported when the flow is loaded, before anything runs. */
  default List<ConfigProblem> validate(Map<String, Object> config) {
    return List.of();
  }

  /**
   * Problems that only show with the rest of the flow in view, e.g. a label whose upstream features
   * read the label's own future. Called after every task's own config passed {@link #validate};
   * {@code upstream} holds every task this one depends on, directly or not.
   */
  default List<ConfigProblem> validateInFlow(TaskSpec self, List<TaskSpec> upstream) {
    return List.of();
  }

  /**
   * Whether the same config, params and input artifacts always give the same result. Tasks of an
   * idempotent type are cached by default: a task whose cache key already produced a successful
   * result is not run again (SKIPPED_CACHED) and reuses it. A flow's {@code cache:} overrides.
   */
  default boolean idempotent() {
    return false;
  }

  /**
   * {@link #idempotent()} for a task of this type with this (unresolved) config: by default the
   * type's answer. A type that runs another one answers for it (the {@code java} type for the class
   * its config names).
   */
  default boolean idempotent(Map<String, Object> config) {
    return idempotent();
  }

  /**
   * What identifies this task's work, from its resolved config: by default the config itself. A
   * type whose config names external files returns their content hashes instead of their paths, so
   * renamed but identical data still hits the cache.
   */
  default Object cacheIdentity(Map<String, Object> resolvedConfig) throws Exception {
    return resolvedConfig;
  }

  /**
   * Whether the task reads the run's params beyond what its config's templates put there (a shell
   * task sees them all as environment variables; {@link TaskContext#params()} hands them to any
   * task). Then every param is part of its cache key. A type that reads only its config returns
   * false, so that a param it does not use can change without recomputing it.
   */
  default boolean readsParams() {
    return true;
  }

  /**
   * {@link #readsParams()} for a task of this type with this config; see {@link #idempotent(Map)}.
   */
  default boolean readsParams(Map<String, Object> config) {
    return readsParams();
  }

  /**
   * Part of the cache key: a new version of the code makes new results. By default a hash of the
   * compiled classes in the jar (or class directory) this type was loaded from, so a build whose
   * code changed does not reuse what an older one computed. Override to widen it (a type whose
   * results depend on a library returns {@code CodeVersion.of(getClass(), ALibraryClass.class)}, so
   * that a new version of the library makes new results too) or to pin it.
   */
  default String codeVersion() {
    return CodeVersion.of(getClass());
  }

  /**
   * Whether this type reads or writes the model registry (registers, promotes or scores with a
   * version). The standalone {@code alphaflow task} command then gives it the registry of the state
   * directory the user names, where it otherwise runs in a throwaway one.
   */
  default boolean usesModelRegistry() {
    return false;
  }

  /**
   * What approving this task would do, for the person asked to decide: the engine shows it with the
   * request (in {@code status} and the run's events) when the task starts waiting for approval.
   * {@code resolvedConfig} is the config as an attempt would get it now (its upstream has run).
   * Null when the task's id says enough. Called on the run's own thread: read, do not compute.
   */
  default String approvalSubject(Map<String, Object> resolvedConfig, ModelRegistry models)
      throws Exception {
    return null;
  }

  /**
   * Whether an attempt that threw {@code error} (anything but a {@link TaskFailure}, which says so
   * itself) may succeed if tried again: by default yes. A type whose library reports errors that no
   * retry can change (a query's syntax, a value that cannot be converted) says no for those, so a
   * flow's retries are not spent on them.
   */
  default boolean retryable(Throwable error) {
    return true;
  }

  /** Does the work of one attempt. */
  void execute(TaskContext context) throws Exception;
}
