package io.alphaflow.cli;

import io.alphaflow.core.approval.Decision;
import picocli.CommandLine.Command;

@Command(
    name = "reject",
    description =
        "Reject a task waiting for approval (AWAITING_APPROVAL); the decision is stored with who, "
            + "when and why, and a parked run continues here at once.")
final class TaskRejectCommand extends TaskDecisionCommand {
  @Override
  Decision decision() {
    return Decision.REJECTED;
  }
}
