package io.alphaflow.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alphaflow.quant.data.FileHashes;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticOrderflowIT {
  @TempDir Path dir;

  @Test
  void sameSeedSameFileWithSeed000RangesAndSchema() {
    String yaml =
        "name: g\ntasks: [{id: gen, type: synthetic_orderflow, config: {rows: 50000, seed: 11, format: csv}}]\n";
    QuantRuns a = new QuantRuns(dir.resolve("a"));
    QuantRuns b = new QuantRuns(dir.resolve("b"));
    a.run(yaml);
    b.run(yaml);
    assertThat(FileHashes.of(a.out("gen").resolve("data.csv")))
        .isEqualTo(FileHashes.of(b.out("gen").resolve("data.csv")));

    Map<String, Object> s =
        QuantRuns.query(
                "SELECT count(*) AS n, min(S_LI_INITIATIVEBUYRATE) AS lo, max(S_LI_INITIATIVEBUYRATE) AS hi,"
                    + " min(S_LI_LARGESELLRATE) AS llo, max(S_LI_LARGESELLRATE) AS lhi, count(DISTINCT timestamp) AS ts FROM read_csv("
                    + a.file("gen", "data.csv")
                    + ")")
            .get(0);
    assertThat(s.get("n")).isEqualTo(50000L);
    assertThat(s.get("ts")).isEqualTo(50000L);
    assertThat((Double) s.get("lo")).isBetween(0.3, 0.31);
    assertThat((Double) s.get("hi")).isBetween(0.69, 0.7);
    assertThat((Double) s.get("llo")).isBetween(0.1, 0.11);
    assertThat((Double) s.get("lhi")).isBetween(0.29, 0.3);
  }

  /** A seed gives the same rows in every version, so a data set can be named by its seed. */
  @Test
  void aSeedGivesTheSameRowsAsItAlwaysHas() throws Exception {
    QuantRuns runs = new QuantRuns(dir.resolve("c"));
    runs.run(
        "name: g\ntasks: [{id: gen, type: synthetic_orderflow, config: {rows: 3, seed: 42, format: csv}},"
            + " {id: signal, type: synthetic_orderflow, config: {rows: 3, seed: 3, signal: 0.6, format: csv}}]\n");
    assertThat(java.nio.file.Files.readAllLines(runs.out("gen").resolve("data.csv")).get(1))
        .isEqualTo("2023-01-01 00:00:00,0.545767167,0.633022263,0.229762632,0.286529849");
    assertThat(java.nio.file.Files.readAllLines(runs.out("signal").resolve("data.csv")).get(1))
        .isEqualTo("2023-01-01 00:00:00,0.577326939,0.570399138,0.176286383,0.221694619");
  }

  /** A start or an interval DuckDB cannot read would fail as a SQL error at run time, retried. */
  @Test
  void aStartOrIntervalThatIsNoTimeIsRefusedWhenTheFlowLoads() {
    assertThatThrownBy(
            () ->
                io.alphaflow.core.testkit.TestFlows.parse(
                    """
                    name: s
                    tasks:
                      - {id: gen, type: synthetic_orderflow, config: {rows: 10, interval: 1 minut, start: "2023-13-01", signal: 2}}
                    """))
        .hasMessageContaining("interval is a count and a unit, was '1 minut'")
        .hasMessageContaining("start is a date or a date and time, was '2023-13-01'")
        .hasMessageContaining("'signal' must be a fraction between 0 and 1");
    // the forms the examples use
    io.alphaflow.core.testkit.TestFlows.parse(
        """
        name: s
        tasks:
          - {id: gen, type: synthetic_orderflow, config: {rows: 10, interval: 30 seconds, start: "2024-03-01 09:30"}}
          - {id: day, type: synthetic_orderflow, config: {rows: 10, interval: 1 minute, start: "2024-03-01"}}
        """);
  }
}
