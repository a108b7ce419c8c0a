package io.alphaflow.cli;

import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.flow.FlowProblem;
import io.alphaflow.core.flow.InvalidFlowException;
import io.alphaflow.core.flow.Params;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "validate",
    description = "Check flow files and report every problem with file:line:column and a hint.")
final class FlowValidateCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FLOW", description = "Flow YAML files.")
  List<Path> files;

  @Option(names = "--json", description = "Print the result as JSON.")
  boolean json;

  @Option(
      names = "--param",
      paramLabel = "NAME=VALUE",
      description =
          "Also check the flow with these params, as 'run' would before it starts: their types"
              + " and what each task's type says of the values; repeatable.")
  Map<String, String> params = new LinkedHashMap<>();

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      boolean allValid = true;
      List<Map<String, Object>> results = new ArrayList<>();
      for (Path file : files) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("file", file.toString());
        try {
          Flow flow = ws.loadFlow(file);
          List<String> refused = withParams(ws, flow);
          if (!refused.isEmpty()) {
            allValid = false;
            r.put("valid", false);
            r.put("param_problems", refused);
            if (!json) {
              spec.commandLine().getErr().println(file + ":\n  " + String.join("\n  ", refused));
            }
            results.add(r);
            continue;
          }
          r.put("valid", true);
          r.put("tasks", flow.tasks().size());
          r.put("problems", List.of());
          if (!json) {
            spec.commandLine().getOut().println(file + ": ok (" + flow.tasks().size() + " tasks)");
          }
        } catch (InvalidFlowException e) {
          allValid = false;
          r.put("valid", false);
          r.put("problems", e.problems().stream().map(FlowValidateCommand::problemJson).toList());
          if (!json) {
            spec.commandLine().getErr().println(e.getMessage());
          }
        }
        results.add(r);
      }
      if (json) {
        spec.commandLine()
            .getOut()
            .println(Json.write(files.size() == 1 ? results.get(0) : results));
      }
      return allValid ? ExitCode.OK.code() : ExitCode.INVALID_INPUT.code();
    }
  }

  /** What {@code run} would refuse of {@link #params} before it starts; none without them. */
  private List<String> withParams(Workspace ws, Flow flow) {
    if (params.isEmpty()) {
      return List.of();
    }
    try {
      return Params.taskProblems(flow, Params.resolve(flow, params), ws.tasks());
    } catch (InvalidInputException e) {
      return List.of(e.getMessage().split("\n"));
    }
  }

  private static Map<String, Object> problemJson(FlowProblem p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("line", p.line());
    m.put("column", p.column());
    m.put("message", p.message());
    m.put("hint", p.hint());
    return m;
  }
}
