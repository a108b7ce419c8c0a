package io.alphaflow.cli;

import io.alphaflow.core.NotFoundException;
import io.alphaflow.core.artifact.Artifact;
import io.alphaflow.core.backup.BackupItem;
import io.alphaflow.core.settings.Settings;
import io.alphaflow.quant.data.Dataset;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "restore",
    description = "Bring a task's files back from their backup, to where they were (or --to DIR).")
final class ArtifactRestoreCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "ARTIFACT|RUN/TASK",
      description =
          "An artifact hash (or a unique prefix), or the task run whose files to restore.")
  String target;

  @Option(names = "--to", paramLabel = "DIR", description = "Restore into this directory instead.")
  Path to;

  @Override
  public Integer call() throws Exception {
    try (Workspace ws = new Workspace(common)) {
      int slash = target.indexOf('/');
      String runId;
      String taskId;
      if (slash > 0) {
        runId = target.substring(0, slash);
        taskId = target.substring(slash + 1);
      } else {
        Artifact a =
            ws.store()
                .findArtifact(target)
                .orElseThrow(
                    () ->
                        new NotFoundException(
                            "no single artifact matches '"
                                + target
                                + "': give more of the hash, or RUN/TASK"));
        runId = a.runId();
        taskId = a.taskId();
      }
      BackupItem item =
          ws.store()
              .backupOf(runId, taskId)
              .orElseThrow(
                  () ->
                      new NotFoundException(
                          "task '"
                              + taskId
                              + "' of run "
                              + runId
                              + " has no backup (set backup: on the task)"));
      Artifact artifact = ws.store().artifactOf(runId, taskId).orElseThrow();
      Path dir = to != null ? to : Path.of(artifact.path());
      ws.engine(Settings.EMPTY).backups().restore(item, dir);
      PrintWriter out = spec.commandLine().getOut();
      out.println("restored " + artifact.shortHash() + " from " + item.target() + " to " + dir);
      // a label or features file holds only its own columns, read beside its input's rows
      Dataset.readsRowsOf(dir)
          .filter(input -> !Files.exists(input))
          .ifPresent(
              input ->
                  out.println(
                      "note: these files add columns to the rows of "
                          + input
                          + ", which is not there: restore the task that wrote it too"));
      return ExitCode.OK.code();
    }
  }
}
