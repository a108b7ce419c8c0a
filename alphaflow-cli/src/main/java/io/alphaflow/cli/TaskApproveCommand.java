package io.alphaflow.cli;

import io.alphaflow.core.approval.Decision;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "approve",
    description = {
      "Approve a task waiting for approval (AWAITING_APPROVAL); the decision is stored with who,",
      "when and why, and a parked run continues here at once."
    })
final class TaskApproveCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Mixin RunOptions runOptions;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUN", description = "The run id.")
  String runId;

  @Parameters(index = "1", paramLabel = "TASK", description = "The waiting task's id.")
  String taskId;

  @Option(names = "--by", required = true, paramLabel = "NAME", description = "Who decides.")
  String by;

  @Option(names = "--comment", paramLabel = "TEXT", description = "Why.")
  String comment;

  @Option(
      names = "--no-resume",
      description = "Only record the decision; continue the run later with resume.")
  boolean noResume;

  @Override
  public Integer call() {
    return TaskDecision.decide(
        common,
        runOptions,
        spec.commandLine().getOut(),
        spec.commandLine().getErr(),
        runId,
        taskId,
        Decision.APPROVED,
        by,
        comment,
        noResume);
  }
}
