package io.alphaflow.cli;

import io.alphaflow.core.approval.Decision;
import picocli.CommandLine.Command;

@Command(
    name = "approve",
    description =
        "Approve a task waiting for approval (AWAITING_APPROVAL); the decision is stored with who, "
            + "when and why, and a parked run continues here at once.")
final class TaskApproveCommand extends TaskDecisionCommand {
  @Override
  Decision decision() {
    return Decision.APPROVED;
  }
}
