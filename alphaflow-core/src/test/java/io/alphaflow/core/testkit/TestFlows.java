package io.alphaflow.core.testkit;

import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.flow.FlowLoader;
import io.alphaflow.core.task.TaskRegistry;

/** Flows for tests, written as the YAML users write. */
public final class TestFlows {
  private TestFlows() {}

  /**
   * Every task type on the test class path, found with ServiceLoader as in production: the
   * built-ins plus the test kit's {@code record} and {@code flaky} (listed in the test resources'
   * META-INF/services).
   */
  public static TaskRegistry registry() {
    return TaskRegistry.loadDefault();
  }

  public static Flow parse(String yaml) {
    return new FlowLoader(registry()).parse("test.yaml", yaml);
  }
}
