package io.alphaflow.quant;

import static org.assertj.core.api.Assertions.assertThat;

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
