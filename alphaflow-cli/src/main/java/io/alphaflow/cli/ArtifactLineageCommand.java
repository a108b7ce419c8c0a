package io.alphaflow.cli;

import io.alphaflow.core.NotFoundException;
import io.alphaflow.core.artifact.Artifact;
import io.alphaflow.core.run.TaskRunRecord;
import io.alphaflow.core.store.Store;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "lineage",
    description =
        "Where an artifact came from and what was made from it, as a tree or Graphviz dot.")
final class ArtifactLineageCommand implements Callable<Integer> {
  enum Format {
    text,
    dot
  }

  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "ARTIFACT|RUN/TASK",
      description =
          "An artifact hash (or a unique prefix), or RUN/TASK for the artifact a task made.")
  String target;

  @Option(
      names = "--format",
      defaultValue = "text",
      description = "text or dot (default ${DEFAULT-VALUE}).")
  Format format;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      Store store = ws.store();
      Artifact root = resolve(store);
      PrintWriter out = spec.commandLine().getOut();
      if (format == Format.dot) {
        out.print(dot(store, root));
        return ExitCode.OK.code();
      }
      out.println("artifact " + describe(root) + "\n  " + root.path());
      out.println(
          "  hash "
              + root.hash()
              + ", code version "
              + root.codeVersion()
              + store.findRun(root.runId()).map(r -> ", params " + r.params()).orElse(""));
      out.println("upstream:");
      if (root.inputs().isEmpty()) {
        out.println("  (none: made from sources outside alphaflow)");
      }
      upstream(store, root, "  ", new HashSet<>(), out);
      out.println("downstream:");
      List<Artifact> consumers = store.consumersOf(root.hash());
      if (consumers.isEmpty()) {
        out.println("  (none yet)");
      }
      downstream(store, root, "  ", new HashSet<>(), out);
      return ExitCode.OK.code();
    }
  }

  private Artifact resolve(Store store) {
    int slash = target.indexOf('/');
    if (slash > 0) {
      String runId = target.substring(0, slash);
      String taskId = target.substring(slash + 1);
      store.findRun(runId).orElseThrow(() -> NotFoundException.run(runId));
      TaskRunRecord task =
          store.taskRuns(runId).stream()
              .filter(t -> t.taskId().equals(taskId))
              .findFirst()
              .orElseThrow(() -> NotFoundException.task(runId, taskId));
      if (task.artifact() == null) {
        throw new NotFoundException(
            "task '"
                + taskId
                + "' of run "
                + runId
                + " made no artifact ("
                + task.state()
                + (task.state().name().equals("SUCCEEDED") ? ", it wrote no files" : "")
                + ")");
      }
      return store
          .artifactOf(runId, taskId)
          .orElseGet(() -> store.findArtifact(task.artifact()).orElseThrow());
    }
    return store
        .findArtifact(target)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "no single artifact matches '"
                        + target
                        + "': give more of the hash, or RUN/TASK"));
  }

  private static void upstream(
      Store store, Artifact a, String indent, Set<String> seen, PrintWriter out) {
    for (String h : a.inputs()) {
      Artifact in = store.findArtifact(h).orElse(null);
      out.println(indent + "<- " + (in == null ? h.substring(0, 12) + " (unknown)" : describe(in)));
      if (in != null && seen.add(h)) {
        upstream(store, in, indent + "   ", seen, out);
      }
    }
  }

  private static void downstream(
      Store store, Artifact a, String indent, Set<String> seen, PrintWriter out) {
    for (Artifact c : store.consumersOf(a.hash())) {
      out.println(indent + "-> " + describe(c));
      if (seen.add(c.hash())) {
        downstream(store, c, indent + "   ", seen, out);
      }
    }
  }

  private static String describe(Artifact a) {
    return a.shortHash()
        + "  "
        + a.taskId()
        + " ("
        + a.taskType()
        + ") of run "
        + a.runId()
        + ", "
        + a.files()
        + (a.files() == 1 ? " file, " : " files, ")
        + a.sizeBytes()
        + " bytes";
  }

  private static String dot(Store store, Artifact root) {
    StringBuilder sb =
        new StringBuilder("digraph lineage {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n");
    Set<String> seen = new HashSet<>();
    walkDot(store, root, sb, seen);
    for (Artifact c : store.consumersOf(root.hash())) {
      walkDownDot(store, root, c, sb, seen);
    }
    return sb.append("}\n").toString();
  }

  private static void walkDot(Store store, Artifact a, StringBuilder sb, Set<String> seen) {
    if (!seen.add(a.hash())) {
      return;
    }
    node(sb, a);
    for (String h : a.inputs()) {
      edge(sb, h.substring(0, 12), a.shortHash());
      store.findArtifact(h).ifPresent(in -> walkDot(store, in, sb, seen));
    }
  }

  private static void walkDownDot(
      Store store, Artifact from, Artifact a, StringBuilder sb, Set<String> seen) {
    edge(sb, from.shortHash(), a.shortHash());
    if (seen.add(a.hash())) {
      node(sb, a);
      for (Artifact c : store.consumersOf(a.hash())) {
        walkDownDot(store, a, c, sb, seen);
      }
    }
  }

  private static void node(StringBuilder sb, Artifact a) {
    sb.append("  \"")
        .append(a.shortHash())
        .append("\" [label=\"")
        .append(a.taskId())
        .append("\\n")
        .append(a.shortHash())
        .append("\"];\n");
  }

  private static void edge(StringBuilder sb, String from, String to) {
    sb.append("  \"").append(from).append("\" -> \"").append(to).append("\";\n");
  }
}
