package io.alphaflow.core.flow;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the flow loader needs to know of the task types the engine can run. */
public interface TaskTypes {
  Set<String> names();

  /** Problems with a task's config, judged by its type; empty when it is fine. */
  List<ConfigProblem> validate(String type, Map<String, Object> config);

  /** Problems with a task given the tasks upstream of it; empty when it is fine. */
  List<ConfigProblem> validateInFlow(String type, TaskSpec self, List<TaskSpec> upstream);
}
