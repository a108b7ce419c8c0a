package io.alphaflow.core.backfill;

import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.execution.CachePolicy;
import io.alphaflow.core.execution.Engine;
import io.alphaflow.core.execution.RunResult;
import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.flow.ParamType;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.RunState;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * One run of a flow per date partition, with {@code params.date} set. A partition that already
 * succeeded is skipped (unless forced); one whose run failed or was interrupted is resumed rather
 * than started anew, so running the same backfill again after a crash finishes what is left.
 */
public final class Backfill {
  /** How one partition ended. {@code skipped}: it had succeeded before and was not run. */
  public record Outcome(
      LocalDate date, String runId, RunState state, String error, boolean skipped) {}

  private final Engine engine;

  public Backfill(Engine engine) {
    this.engine = engine;
  }

  public List<Outcome> run(
      Flow flow,
      Map<String, String> params,
      List<LocalDate> dates,
      int concurrency,
      boolean force,
      Consumer<Outcome> progress) {
    var date = flow.params().get("date");
    if (date == null || date.type() != ParamType.DATE) {
      throw new InvalidInputException(
          "flow '"
              + flow.name()
              + "' has no param 'date' of type date, so it cannot be backfilled:"
              + " declare params: {date: {type: date}} and use ${params.date}");
    }
    if (concurrency < 1) {
      throw new InvalidInputException("--concurrency must be at least 1, was " + concurrency);
    }
    Map<LocalDate, RunRecord> latest = latestRuns(flow.name());
    List<Outcome> outcomes = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(concurrency)) {
      List<Future<Outcome>> futures = new ArrayList<>();
      for (LocalDate d : dates) {
        futures.add(pool.submit(() -> partition(flow, params, d, latest.get(d), force, progress)));
      }
      for (Future<Outcome> f : futures) {
        try {
          outcomes.add(f.get());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("backfill interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException("backfill partition failed unexpectedly", e.getCause());
        }
      }
    }
    return outcomes;
  }

  private Outcome partition(
      Flow flow,
      Map<String, String> params,
      LocalDate date,
      RunRecord previous,
      boolean force,
      Consumer<Outcome> progress) {
    Outcome outcome;
    try {
      if (previous != null && previous.state() == RunState.SUCCEEDED && !force) {
        outcome = new Outcome(date, previous.runId(), RunState.SUCCEEDED, null, true);
      } else {
        RunResult r =
            previous != null && !force
                ? engine.resume(previous.runId())
                : engine.run(
                    flow,
                    withDate(params, date),
                    force ? new CachePolicy(true, java.util.Set.of()) : CachePolicy.USE);
        outcome = new Outcome(date, r.runId(), r.state(), r.error(), false);
      }
    } catch (RuntimeException e) {
      outcome =
          new Outcome(
              date,
              previous == null ? null : previous.runId(),
              RunState.FAILED,
              e.getMessage(),
              false);
    }
    progress.accept(outcome);
    return outcome;
  }

  private static Map<String, String> withDate(Map<String, String> params, LocalDate date) {
    Map<String, String> p = new LinkedHashMap<>(params);
    p.put("date", date.toString());
    return p;
  }

  /** The newest run of the flow for each date. */
  private Map<LocalDate, RunRecord> latestRuns(String flowName) {
    Map<LocalDate, RunRecord> out = new LinkedHashMap<>();
    engine.store().runsOf(flowName).stream()
        .sorted(Comparator.comparing(RunRecord::createdAt))
        .forEach(r -> parse(r.params().get("date")).ifPresent(d -> out.put(d, r)));
    return out;
  }

  private static Optional<LocalDate> parse(String date) {
    try {
      return date == null ? Optional.empty() : Optional.of(LocalDate.parse(date));
    } catch (java.time.format.DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
