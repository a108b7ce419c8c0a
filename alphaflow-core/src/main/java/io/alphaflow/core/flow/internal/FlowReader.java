package io.alphaflow.core.flow.internal;

import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.flow.FlowProblem;
import io.alphaflow.core.flow.InvalidFlowException;
import io.alphaflow.core.flow.TaskTypes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** YAML, then the schema, then the cross-task checks; all problems together, in file order. */
public final class FlowReader {
  private FlowReader() {}

  public static Flow read(String fileName, String source, TaskTypes types) {
    LocatedYaml doc = LocatedYaml.parse(fileName, source);
    if (!doc.problems().isEmpty() && doc.root() == null) {
      throw new InvalidFlowException(fileName, doc.problems());
    }
    List<FlowProblem> problems = new ArrayList<>(doc.problems());
    if (!doc.root().isObject()) {
      problems.add(
          doc.problemAt(
              "", "a flow must be a mapping with 'name:' and 'tasks:'", "see examples/hello.yaml"));
      throw new InvalidFlowException(fileName, problems);
    }
    problems.addAll(SchemaCheck.check(doc));
    Flow flow = FlowBinder.bind(doc, source);
    problems.addAll(FlowChecks.check(doc, flow, types));
    if (!problems.isEmpty()) {
      problems.sort(
          Comparator.comparingInt(FlowProblem::line).thenComparingInt(FlowProblem::column));
      throw new InvalidFlowException(fileName, problems);
    }
    return flow;
  }
}
