package io.alphaflow.core.testkit;

import io.alphaflow.core.task.Task;
import io.alphaflow.core.task.TaskContext;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Type {@code vendor}: calls the external resource {@code vendor} through the context's breaker;
 * the call fails when {@code config.fail} is true. {@link #CALLS} counts calls that reached it.
 */
public final class VendorTask implements Task {
  public static final AtomicInteger CALLS = new AtomicInteger();

  @Override
  public String type() {
    return "vendor";
  }

  @Override
  public void execute(TaskContext ctx) throws Exception {
    boolean fail = Boolean.TRUE.equals(ctx.config().get("fail"));
    String quote =
        ctx.external()
            .call(
                "vendor",
                () -> {
                  CALLS.incrementAndGet();
                  if (fail) {
                    throw new IOException("vendor timed out");
                  }
                  return "42.0";
                });
    ctx.output("quote", quote);
  }
}
