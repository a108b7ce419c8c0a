package io.alphaflow.core.flow;

import io.alphaflow.core.dag.Dag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pictures of a flow's DAG: layered text for the terminal, Graphviz dot, and Mermaid. */
public final class FlowGraph {
  private final Flow flow;
  private final Dag dag;

  public FlowGraph(Flow flow) {
    this.flow = flow;
    Map<String, List<String>> deps = new LinkedHashMap<>();
    flow.tasks().forEach(t -> deps.put(t.id(), t.dependsOn()));
    this.dag = Dag.of(deps);
  }

  /** One line per task, grouped by layer, each with what it waits for. */
  public String ascii() {
    List<List<String>> layers = dag.layers();
    int width = flow.tasks().stream().mapToInt(t -> label(t).length()).max().orElse(10);
    StringBuilder sb = new StringBuilder();
    sb.append("flow ")
        .append(flow.name())
        .append(": ")
        .append(flow.tasks().size())
        .append(flow.tasks().size() == 1 ? " task" : " tasks")
        .append(", ")
        .append(layers.size())
        .append(layers.size() == 1 ? " layer" : " layers")
        .append('\n');
    for (int i = 0; i < layers.size(); i++) {
      for (String id : layers.get(i)) {
        TaskSpec t = flow.task(id).orElseThrow();
        sb.append(String.format("%3d  %-" + width + "s", i, label(t)));
        if (!t.dependsOn().isEmpty()) {
          sb.append("  <- ").append(String.join(", ", t.dependsOn()));
        }
        flow.stageOf(id).ifPresent(s -> sb.append("   {").append(s.id()).append('}'));
        sb.append('\n');
      }
    }
    return sb.toString();
  }

  public String dot() {
    StringBuilder sb = new StringBuilder("digraph \"" + flow.name() + "\" {\n  rankdir=LR;\n");
    sb.append("  node [shape=box, style=rounded];\n");
    for (StageSpec s : flow.stages()) {
      sb.append("  subgraph \"cluster_")
          .append(s.id())
          .append("\" {\n    label=\"")
          .append(s.id())
          .append("\";\n");
      s.taskIds().forEach(id -> sb.append("    \"").append(id).append("\";\n"));
      sb.append("  }\n");
    }
    for (TaskSpec t : flow.tasks()) {
      sb.append("  \"")
          .append(t.id())
          .append("\" [label=\"")
          .append(t.id())
          .append("\\n")
          .append(t.type())
          .append("\"];\n");
    }
    for (TaskSpec t : flow.tasks()) {
      t.dependsOn()
          .forEach(
              d -> sb.append("  \"").append(d).append("\" -> \"").append(t.id()).append("\";\n"));
    }
    return sb.append("}\n").toString();
  }

  public String mermaid() {
    StringBuilder sb = new StringBuilder("flowchart LR\n");
    for (TaskSpec t : flow.tasks()) {
      sb.append("  ")
          .append(mermaidId(t.id()))
          .append("[\"")
          .append(t.id())
          .append(" (")
          .append(t.type())
          .append(")\"]\n");
    }
    for (TaskSpec t : flow.tasks()) {
      t.dependsOn()
          .forEach(
              d ->
                  sb.append("  ")
                      .append(mermaidId(d))
                      .append(" --> ")
                      .append(mermaidId(t.id()))
                      .append('\n'));
    }
    return sb.toString();
  }

  private static String mermaidId(String id) {
    return id.replace('-', '_');
  }

  private static String label(TaskSpec t) {
    String extra =
        t.priority() == null || t.priority() == Priority.MEDIUM ? "" : ", " + t.priority();
    return t.id() + " [" + t.type() + extra + "]";
  }
}
