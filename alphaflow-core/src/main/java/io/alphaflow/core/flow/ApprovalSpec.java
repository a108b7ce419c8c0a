package io.alphaflow.core.flow;

import java.time.Duration;

/**
 * A human gate before a task runs ({@code approval:} in a flow). The task waits in
 * AWAITING_APPROVAL, holding no worker slot, until {@code alphaflow approve} or {@code reject}.
 *
 * @param requiredIf null: always required; else a {@code ${...}} expression (usually an upstream
 *     output such as {@code ${tasks.evaluate.outputs.breached}}) that asks only when it is "true"
 * @param timeout null: waits for ever; else the request is rejected once this long has passed
 * @param message null: none; else what the flow's author asks the person deciding to look at, shown
 *     with the request, its {@code ${...}} resolved (e.g. {@code "check
 *     ${tasks.report.output_dir}/report.md"})
 */
public record ApprovalSpec(String requiredIf, Duration timeout, String message) {
  public static final ApprovalSpec ALWAYS = new ApprovalSpec(null, null, null);
}
