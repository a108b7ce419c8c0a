package io.alphaflow.core.testkit;

import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.flow.FlowLoader;
import io.alphaflow.core.task.TaskRegistry;

/** Flows for tests, written as the YAML users write. */
public final class TestFlows {
  private TestFlows() {}

  /** The built-in task types plus the test kit's {@code record} and {@code flaky}. */
  public static TaskRegistry registry() {
    return TaskRegistry.loadDefault().with(new RecordTask(), new FlakyTask());
  }

  public static Flow parse(String yaml) {
    return new FlowLoader(registry()).parse("test.yaml", yaml);
  }
}
