package io.alphaflow.cli;

import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.flow.FlowGraph;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "graph", description = "Draw a flow's DAG: text, Graphviz dot or Mermaid.")
final class FlowGraphCommand implements Callable<Integer> {
  enum Format {
    ascii,
    dot,
    mermaid
  }

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FLOW", description = "The flow YAML file.")
  Path file;

  @Option(
      names = "--format",
      defaultValue = "ascii",
      description = "ascii, dot or mermaid (default ${DEFAULT-VALUE}).")
  Format format;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      Flow flow = ws.loadFlow(file);
      FlowGraph g = new FlowGraph(flow);
      spec.commandLine()
          .getOut()
          .print(
              switch (format) {
                case ascii -> g.ascii();
                case dot -> g.dot();
                case mermaid -> g.mermaid();
              });
      return ExitCode.OK.code();
    }
  }
}
