package io.alphaflow.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.alphaflow.core.run.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CleanIT {
  @TempDir Path dir;
  private QuantRuns runs;

  @BeforeEach
  void setUp() {
    runs = new QuantRuns(dir.resolve("home"));
  }

  private String flow(Path csv, String clean) {
    return """
        name: c
        tasks:
          - {id: ingest, type: ingest, config: {path: "%s", timestamp_column: ts}}
          - id: clean
            type: clean
            depends_on: [ingest]
            config:
              input: ${tasks.ingest.output_dir}
              time_column: ts
        %s
        """
        .formatted(csv, clean.indent(6));
  }

  @Test
  void duplicatesGoFillsLookOnlyBackAndClipsHold() throws Exception {
    Path csv =
        Files.writeString(
            dir.resolve("x.csv"),
            """
        ts,a,b,c,d
        2024-01-01 00:00:00,1,10,,5
        2024-01-01 00:01:00,,20,1,500
        2024-01-01 00:01:00,,20,1,500
        2024-01-01 00:02:00,3,,2,-7
        2024-01-01 00:03:00,,40,,1
        """);
    var r =
        runs.run(
            flow(
                csv,
                """
        dedupe: [ts]
        fill: {a: ffill, b: mean, c: zero}
        clip: {d: {min: 0, max: 100}}
        """));
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    List<Map<String, Object>> rows =
        QuantRuns.query(
            "SELECT a, b, c, d FROM " + runs.file("clean", "data.parquet") + " ORDER BY ts");
    assertThat(rows).hasSize(4);
    assertThat(rows).extracting(m -> m.get("a")).containsExactly(1L, 1L, 3L, 3L);
    assertThat(rows.get(2).get("b"))
        .isEqualTo(15.0); // mean of the earlier 10 and 20, not of the later 40
    assertThat(rows).extracting(m -> m.get("c")).containsExactly(0L, 1L, 2L, 0L);
    assertThat(rows).extracting(m -> m.get("d")).containsExactly(5L, 100L, 0L, 1L);
  }

  /** 200 minutes of a seeded random walk's steps, {@code last} the final one. */
  private Path steps(String name, double last) throws Exception {
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    StringBuilder csv = new StringBuilder("ts,x\n");
    java.time.LocalDateTime t = java.time.LocalDateTime.of(2024, 1, 1, 0, 0);
    for (int i = 0; i < 200; i++) {
      double x = i == 199 ? last : r.nextDouble() * 2 - 1;
      csv.append(t.plusMinutes(i).toString().replace('T', ' '))
          .append(":00,")
          .append(x)
          .append('\n');
    }
    return Files.writeString(dir.resolve(name), csv);
  }

  private List<Double> winsorized(Path csv, String spec) {
    var r = runs.run(flow(csv, "winsorize: {x: " + spec + "}"));
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    return QuantRuns.query("SELECT x FROM " + runs.file("clean", "data.parquet") + " ORDER BY ts")
        .stream()
        .map(m -> (Double) m.get("x"))
        .toList();
  }

  /** quantile_cont's rule: linear between the values at ranks floor and ceil of q (n - 1). */
  private static double quantile(List<Double> sorted, double q) {
    double at = q * (sorted.size() - 1);
    int lo = (int) Math.floor(at);
    int hi = (int) Math.ceil(at);
    return sorted.get(lo) + (sorted.get(hi) - sorted.get(lo)) * (at - lo);
  }

  @Test
  void winsorizeBoundsEachRowByItsPastAloneSoALaterValueChangesNoEarlierRow() throws Exception {
    Path calm = steps("calm.csv", 0.5);
    Path spike = steps("spike.csv", 1e6);
    List<Double> raw =
        QuantRuns.query("SELECT x FROM read_csv('" + calm + "') ORDER BY ts").stream()
            .map(m -> ((Number) m.get("x")).doubleValue())
            .toList();

    List<Double> a = winsorized(calm, "{lower: 0.05, upper: 0.95, min_periods: 20}");
    List<Double> b = winsorized(spike, "{lower: 0.05, upper: 0.95, min_periods: 20}");

    // the rows before the last are bounded alike whatever the last one is: no look-ahead
    assertThat(b.subList(0, 199)).isEqualTo(a.subList(0, 199));
    // each row from the 20th on held within the quantiles of the rows up to it
    int clipped = 0;
    for (int i = 0; i < 200; i++) {
      double x = raw.get(i);
      double expected = x;
      if (i >= 19) {
        List<Double> past = new java.util.ArrayList<>(raw.subList(0, i + 1));
        java.util.Collections.sort(past);
        expected = Math.min(Math.max(x, quantile(past, 0.05)), quantile(past, 0.95));
      }
      clipped += expected != x ? 1 : 0;
      assertThat(a.get(i)).as("row %d", i).isCloseTo(expected, within(1e-12));
    }
    assertThat(clipped).isGreaterThan(5);
    // the spike is held to its past's 95th percentile, not kept
    assertThat(b.get(199)).isLessThan(1.0);
    Map<?, ?> steps =
        (Map<?, ?>)
            io.alphaflow.quant.data.Json.read(runs.out("clean").resolve("metadata.json"))
                .get("steps");
    assertThat(steps.get("winsorize_x").toString()).contains("over=past rows");
    // of the last run, the spike's: its rows as the calm ones but the last, which is held
    long changed =
        java.util.stream.IntStream.range(0, 199).filter(i -> !b.get(i).equals(raw.get(i))).count()
            + 1;
    assertThat(((Number) ((Map<?, ?>) steps.get("values_bounded")).get("x")).longValue())
        .isEqualTo(changed);
  }

  @Test
  void winsorizeOverAllRowsIsStillThereAndSaysWhatItCosts() throws Exception {
    Path calm = steps("calm.csv", 0.5);
    Path spike = steps("spike.csv", 1e6);

    List<Double> a = winsorized(calm, "{lower: 0.05, upper: 0.95, over: all}");
    List<Double> b = winsorized(spike, "{lower: 0.05, upper: 0.95, over: all}");

    // the last row moves every row's bounds: the look-ahead the default avoids
    assertThat(b.subList(0, 199)).isNotEqualTo(a.subList(0, 199));
    String runId = runs.out("clean").getParent().getFileName().toString();
    assertThat(dir.resolve("home/logs").resolve(runId).resolve("clean/attempt-1.log"))
        .content()
        .contains(
            "winsorize of 'x' over all rows: its bounds come from later rows too, so a model"
                + " trained on the earlier ones sees the later ones' distribution");
  }

  @Test
  void boundsLeaveMissingValuesMissing() throws Exception {
    Path csv =
        Files.writeString(
            dir.resolve("gaps.csv"),
            """
        ts,d,x
        2024-01-01 00:00:00,5,0.1
        2024-01-01 00:01:00,,
        2024-01-01 00:02:00,500,0.3
        2024-01-01 00:03:00,-7,nan
        """);
    var r =
        runs.run(
            flow(
                csv,
                """
        clip: {d: {min: 0, max: 100}, x: {min: 0.2, max: 0.25}}
        winsorize: {d: {lower: 0.1, upper: 0.9, min_periods: 1}}
        """));
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    List<Map<String, Object>> rows =
        QuantRuns.query(
            "SELECT d, x, isnan(x) AS nan FROM "
                + runs.file("clean", "data.parquet")
                + " ORDER BY ts");
    // not the bound: DuckDB's greatest(NULL, 0) would have said 0
    assertThat(rows.get(1).get("d")).isNull();
    assertThat(rows.get(1).get("x")).isNull();
    assertThat(rows.get(3).get("nan")).isEqualTo(true);
    assertThat(rows.get(0).get("x")).isEqualTo(0.2);
    assertThat(rows.get(2).get("x")).isEqualTo(0.25);
  }

  @Test
  void clipAndWinsorizeSettingsThatCannotWorkAreRefusedWhenTheFlowLoads() throws Exception {
    Path csv = steps("calm.csv", 0.5);
    assertThatThrownBy(
            () ->
                runs.run(
                    flow(
                        csv,
                        "winsorize: {x: {lower: 0.05, upper: 1.5, over: future, min_periods: 0}}\n"
                            + "clip: {x: {min: low}, ts: {}, y: {min: 5, max: 1}}")))
        .isInstanceOf(io.alphaflow.core.InvalidInputException.class)
        .hasMessageContaining("winsorize.x.upper")
        .hasMessageContaining("unknown over 'future'")
        .hasMessageContaining("min_periods (how many past values a row's bounds need)")
        .hasMessageContaining("test.yaml:11:23")
        .hasMessageContaining("min must be a number, was 'low'")
        .hasMessageContaining("clip maps a column to its min, max or both")
        .hasMessageContaining("min (5.0) is above max (1.0)");
  }

  @Test
  void aQuantileFromAParamThatIsNoFractionIsRefusedBeforeTheRunNamingIt() throws Exception {
    Path csv = steps("calm.csv", 0.5);
    String yaml =
        "params: {lo: {type: string, default: \"0.05\"}}\n"
            + flow(csv, "winsorize: {x: {lower: \"${params.lo}\", upper: 0.95}}");
    assertThat(runs.run(yaml).state()).isEqualTo(RunState.SUCCEEDED);

    // refused at the command, not retried four times as a NumberFormatException
    assertThatThrownBy(() -> runs.run(yaml, Map.of("lo", "five percent")))
        .isInstanceOf(io.alphaflow.core.InvalidInputException.class)
        .hasMessageContaining("task 'clean' (clean), with the params given: winsorize.x.lower:")
        .hasMessageContaining("'winsorize.x.lower' must be a fraction between 0 and 1")
        .hasMessageContaining("was 'five percent'");
  }

  @Test
  void boundsOnATextColumnFailNamingIt() throws Exception {
    Path csv =
        Files.writeString(
            dir.resolve("text.csv"),
            """
        ts,sym,x
        2024-01-01 00:00:00,AAA,1
        2024-01-01 00:01:00,BBB,2
        """);
    var r = runs.run(flow(csv, "winsorize: {sym: {lower: 0.1, upper: 0.9}}"));
    assertThat(r.state()).isEqualTo(RunState.FAILED);
    assertThat(runs.task("clean").error())
        .contains("winsorize 'sym' is a VARCHAR column: winsorize bounds numbers");
  }

  @Test
  void thirtyMinuteTicksBecomeHourlyBarsStampedAtTheirEnd() {
    var r =
        runs.run(
            flow(
                    QuantRuns.data("usdchf_30min.csv"),
                    """
        resample: {every: 1h, price: price}
        """)
                .replace("timestamp_column: ts", "timestamp_column: timestamp")
                .replace("time_column: ts", "time_column: timestamp"));
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    List<Map<String, Object>> bars =
        QuantRuns.query(
            "SELECT timestamp::VARCHAR AS t, open, high, low, close, rows_in_bar FROM "
                + runs.file("clean", "data.parquet")
                + " ORDER BY timestamp LIMIT 2");
    List<Map<String, Object>> ticks =
        QuantRuns.query(
            "SELECT price FROM "
                + runs.file("ingest", "data.parquet")
                + " ORDER BY timestamp LIMIT 3");
    // ticks at 22:00 and 22:30 and 23:00: the 22:00 tick closes the bar ending 22:00; 22:30 and
    // 23:00 make the next
    assertThat(bars.get(0).get("t")).isEqualTo("1996-03-31 22:00:00");
    assertThat(bars.get(1).get("t")).isEqualTo("1996-03-31 23:00:00");
    assertThat(bars.get(1).get("open")).isEqualTo(ticks.get(1).get("price"));
    assertThat(bars.get(1).get("close")).isEqualTo(ticks.get(2).get("price"));
    assertThat(bars.get(1).get("rows_in_bar")).isEqualTo(2L);
  }
}
