package io.alphaflow.core.flow;

import io.alphaflow.core.InvalidInputException;
import java.util.List;
import java.util.stream.Collectors;

/** A flow file has one or more problems; all of them are listed, in file order. */
public class InvalidFlowException extends InvalidInputException {
  private final transient List<FlowProblem> problems;

  public InvalidFlowException(String file, List<FlowProblem> problems) {
    super(render(file, problems));
    this.problems = List.copyOf(problems);
  }

  public List<FlowProblem> problems() {
    return problems;
  }

  private static String render(String file, List<FlowProblem> problems) {
    String head =
        file + ": " + problems.size() + (problems.size() == 1 ? " problem" : " problems") + "\n";
    return head + problems.stream().map(p -> "  " + p).collect(Collectors.joining("\n"));
  }
}
