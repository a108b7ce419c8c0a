package io.alphaflow.bench;

import io.alphaflow.core.execution.Engine;
import io.alphaflow.core.execution.RunResult;
import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.flow.RetrySpec;
import io.alphaflow.core.flow.TaskDefaults;
import io.alphaflow.core.flow.TaskSpec;
import io.alphaflow.core.run.RunState;
import io.alphaflow.core.settings.Settings;
import io.alphaflow.core.store.Store;
import io.alphaflow.core.store.memory.InMemoryStore;
import io.alphaflow.core.task.Task;
import io.alphaflow.core.task.TaskContext;
import io.alphaflow.core.task.TaskRegistry;
import io.alphaflow.store.sqlite.SqliteStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Scheduling overhead of the engine on the two shapes of the Dask peer ({@code
 * ../shared/bench/dask_dag_overhead.py}): (a) a wide DAG of LAYERS x WIDTH no-op tasks, task (i, j)
 * depending on (i-1, j) and (i-1, (j+1) % WIDTH); (b) a chain of CHAIN no-op tasks, per-hop latency
 * = difference between consecutive task start stamps. One warm-up run, then REPS timed runs;
 * medians reported. Prints one JSON line per measurement.
 *
 * <p>Usage: {@code EngineBench [--layers 100] [--width 100] [--chain 1000] [--reps 5]
 * [--concurrency 5] [--stores memory,sqlite]}; concurrency defaults to the engine's own default
 * ({@code max_concurrent_tasks}), and every transition is committed as in a real run.
 */
public final class EngineBench {
  private static final Map<String, Long> STAMPS = new ConcurrentHashMap<>();

  /** No-op that notes when it started: the chain's hop latency comes from these stamps. */
  public static final class StampTask implements Task {
    @Override
    public String type() {
      return "stamp";
    }

    @Override
    public void execute(TaskContext context) {
      STAMPS.put(context.runId() + "/" + context.taskId(), System.nanoTime());
    }
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int layers = Integer.parseInt(opts.getOrDefault("layers", "100"));
    int width = Integer.parseInt(opts.getOrDefault("width", "100"));
    int chain = Integer.parseInt(opts.getOrDefault("chain", "1000"));
    int reps = Integer.parseInt(opts.getOrDefault("reps", "5"));
    int concurrency =
        Integer.parseInt(
            opts.getOrDefault(
                "concurrency", Integer.toString(Settings.DEFAULT_MAX_CONCURRENT_TASKS)));
    List<String> stores = Arrays.asList(opts.getOrDefault("stores", "memory,sqlite").split(","));
    Path tmp = Files.createTempDirectory("alphaflow-bench-");

    Flow wide = wide(layers, width);
    Flow chainFlow = chain(chain);
    for (String kind : stores) {
      Supplier<Store> stores_ =
          kind.equals("memory")
              ? InMemoryStore::new
              : () -> SqliteStore.open(tmp.resolve("state-" + System.nanoTime() + ".db"));
      try (Store store = stores_.get();
          Engine engine =
              Engine.builder(store)
                  .tasks(TaskRegistry.loadDefault().with(new StampTask()))
                  .home(tmp.resolve("home"))
                  .settings(new Settings(concurrency, null, noRetries(), null))
                  .build()) {
        benchWide(engine, wide, kind, reps, concurrency);
        benchChain(engine, chainFlow, kind, reps, concurrency);
      }
    }
  }

  private static TaskDefaults noRetries() {
    return new TaskDefaults(
        new RetrySpec(1, null, null, null, null, null, null, null, null), null, null, null);
  }

  private static void benchWide(Engine engine, Flow flow, String store, int reps, int concurrency) {
    run(engine, flow); // warm-up
    double[] walls = new double[reps];
    for (int r = 0; r < reps; r++) {
      long t0 = System.nanoTime();
      run(engine, flow);
      walls[r] = (System.nanoTime() - t0) / 1e9;
    }
    Arrays.sort(walls);
    double median = walls[reps / 2];
    int n = flow.tasks().size();
    System.out.printf(
        Locale.ROOT,
        "{\"bench\":\"wide_dag\",\"engine\":\"alphaflow\",\"store\":\"%s\",\"tasks\":%d,"
            + "\"concurrency\":%d,\"reps\":%d,\"wall_s_median\":%.4f,\"wall_s_min\":%.4f,"
            + "\"tasks_per_s_median\":%.1f,\"tasks_per_s_best\":%.1f}%n",
        store,
        n,
        concurrency,
        reps,
        median,
        walls[0],
        n / median,
        n / walls[0]);
  }

  private static void benchChain(
      Engine engine, Flow flow, String store, int reps, int concurrency) {
    run(engine, flow); // warm-up
    List<double[]> runs = new ArrayList<>();
    for (int r = 0; r < reps; r++) {
      long t0 = System.nanoTime();
      RunResult result = run(engine, flow);
      double wall = (System.nanoTime() - t0) / 1e9;
      int n = flow.tasks().size();
      double[] hops = new double[n];
      hops[0] = wall;
      for (int k = 1; k < n; k++) {
        hops[k] =
            (STAMPS.get(result.runId() + "/c" + k) - STAMPS.get(result.runId() + "/c" + (k - 1)))
                / 1e3;
      }
      runs.add(hops);
    }
    runs.sort((a, b) -> Double.compare(a[0], b[0]));
    double[] mid = runs.get(runs.size() / 2);
    double wall = mid[0];
    double[] hops = Arrays.copyOfRange(mid, 1, mid.length);
    Arrays.sort(hops);
    System.out.printf(
        Locale.ROOT,
        "{\"bench\":\"chain\",\"engine\":\"alphaflow\",\"store\":\"%s\",\"tasks\":%d,\"reps\":%d,"
            + "\"wall_s_median\":%.4f,\"e2e_per_task_us_median\":%.1f,\"hop_us_mean\":%.1f,"
            + "\"hop_us_p50\":%.1f,\"hop_us_p90\":%.1f,\"hop_us_p99\":%.1f,\"hop_us_max\":%.1f}%n",
        store,
        flow.tasks().size(),
        reps,
        wall,
        wall / flow.tasks().size() * 1e6,
        Arrays.stream(hops).average().orElse(0),
        pct(hops, 50),
        pct(hops, 90),
        pct(hops, 99),
        hops[hops.length - 1]);
    STAMPS.clear();
  }

  private static double pct(double[] sorted, double p) {
    int i = (int) Math.min(sorted.length - 1, Math.round(p / 100 * (sorted.length - 1)));
    return sorted[i];
  }

  private static RunResult run(Engine engine, Flow flow) {
    RunResult r = engine.run(flow, Map.of());
    if (r.state() != RunState.SUCCEEDED) {
      throw new IllegalStateException("benchmark run failed: " + r.error());
    }
    return r;
  }

  private static Flow wide(int layers, int width) {
    List<TaskSpec> tasks = new ArrayList<>();
    for (int i = 0; i < layers; i++) {
      for (int j = 0; j < width; j++) {
        List<String> deps = i == 0 ? List.of() : List.of(id(i - 1, j), id(i - 1, (j + 1) % width));
        tasks.add(task(id(i, j), "noop", deps.stream().distinct().toList()));
      }
    }
    return flow("wide", tasks);
  }

  private static Flow chain(int n) {
    List<TaskSpec> tasks = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      tasks.add(task("c" + k, "stamp", k == 0 ? List.of() : List.of("c" + (k - 1))));
    }
    return flow("chain", tasks);
  }

  private static String id(int layer, int j) {
    return "w" + layer + "_" + j;
  }

  private static TaskSpec task(String id, String type, List<String> deps) {
    return new TaskSpec(
        id, type, null, Map.of(), deps, null, null, null, null, null, null, null, null);
  }

  private static Flow flow(String name, List<TaskSpec> tasks) {
    return new Flow(name, null, Map.of(), null, null, null, List.of(), tasks, Map.of(), null, null);
  }
}
