package io.alphaflow.core.task;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Tells a running attempt to stop, and runs its cleanup hooks (kill a process, close a socket). */
public final class Cancellation {
  private final CountDownLatch cancelled = new CountDownLatch(1);
  private final List<Runnable> hooks = new CopyOnWriteArrayList<>();
  private volatile String reason;

  public boolean isCancelled() {
    return cancelled.getCount() == 0;
  }

  public String reason() {
    return reason;
  }

  /** Runs {@code hook} on cancellation, or at once if already cancelled. */
  public void onCancel(Runnable hook) {
    hooks.add(hook);
    if (isCancelled()) {
      hook.run();
    }
  }

  public void cancel(String why) {
    synchronized (this) {
      if (isCancelled()) {
        return;
      }
      reason = why;
      cancelled.countDown();
    }
    hooks.forEach(Runnable::run);
  }

  /** Waits up to {@code timeout}; true if cancelled meanwhile. */
  public boolean await(Duration timeout) throws InterruptedException {
    return cancelled.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  public void throwIfCancelled() {
    if (isCancelled()) {
      throw TaskFailure.nonRetryable("cancelled: " + reason);
    }
  }
}
