package io.alphaflow.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.alphaflow.core.run.RunState;
import io.alphaflow.quant.data.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ValidateIT {
  @TempDir Path dir;
  private QuantRuns runs;

  @BeforeEach
  void setUp() {
    runs = new QuantRuns(dir.resolve("home"));
  }

  private String flow(Path csv, String contract) {
    return """
        name: v
        tasks:
          - {id: ingest, type: ingest, config: {path: "%s", timestamp_column: ts}}
          - id: validate
            type: validate
            depends_on: [ingest]
            retry: {max_attempts: 1}
            config:
              input: ${tasks.ingest.output_dir}
              timestamp_column: ts
        %s
        """
        .formatted(csv, contract.indent(6));
  }

  /** 100 good 1-minute rows, then a duplicate, an out-of-order row, a NaN burst and an outlier. */
  private Path dirtyCsv(int nanBurst) throws Exception {
    StringBuilder sb = new StringBuilder("ts,price,volume\n");
    java.time.LocalDateTime t0 = java.time.LocalDateTime.parse("2024-03-01T10:00:00");
    for (int i = 0; i < 100; i++) {
      sb.append(t0.plusMinutes(i).toString().replace('T', ' '))
          .append(":00,")
          .append(100 + i)
          .append(".5,")
          .append(10 + i)
          .append('\n');
    }
    sb.append("2024-03-01 10:05:00,105.5,15\n"); // duplicate timestamp
    sb.append("2024-03-01 09:00:00,99,1\n"); // out of order
    for (int i = 0; i < nanBurst; i++) {
      sb.append("2024-03-01 12:").append(String.format("%02d", i)).append(":00,nan,5\n");
    }
    sb.append("2024-03-01 13:00:00,100000,5\n"); // out of range
    return Files.writeString(dir.resolve("dirty.csv"), sb.toString());
  }

  private static final String CONTRACT =
      """
      columns:
        ts: {type: timestamp, nullable: false}
        price: {type: double, nullable: false, min: 0, max: 1000}
        volume: {type: int, min: 0}
      unique_key: [ts]
      max_bad_row_rate: 0.2
      """;

  @Test
  void badRowsAreQuarantinedWithReasonsAndGoodRowsGoOn() throws Exception {
    var result = runs.run(flow(dirtyCsv(3), CONTRACT));
    assertThat(result.state())
        .as(result.error() + " / " + runs.task("validate").error())
        .isEqualTo(RunState.SUCCEEDED);

    assertThat(QuantRuns.scalar("SELECT count(*) FROM " + runs.file("validate", "data.parquet")))
        .isEqualTo(100L);
    assertThat(
            QuantRuns.query(
                "SELECT reason FROM "
                    + runs.file("validate", "quarantine.parquet")
                    + " ORDER BY source_row"))
        .extracting(r -> r.get("reason"))
        .containsExactly(
            "duplicate key (ts); timestamp out of order",
            "timestamp out of order",
            "null price",
            "null price",
            "null price",
            "price out of range [0, 1000]");
    Map<?, ?> quality =
        (Map<?, ?>) Json.read(runs.out("validate").resolve("metadata.json")).get("quality");
    assertThat(quality.get("rows_quarantined")).isEqualTo(6);
    assertThat((Double) quality.get("quality_score"))
        .isCloseTo(100.0 / 106, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(((Map<?, ?>) quality.get("violations")).get("null price")).isEqualTo(3);
    assertThat(runs.task("validate").outputs()).containsEntry("quarantined", "6");
  }

  /**
   * In time order, duplicates come from the order check's pass (neighbours); with the order check
   * off they come from the exact hash-table check. Both must quarantine the same rows.
   */
  @ParameterizedTest(name = "symbols: {0}")
  @ValueSource(booleans = {false, true})
  void duplicatesFoundAsNeighboursInOrderedDataAreTheExactChecksDuplicates(boolean symbols)
      throws Exception {
    StringBuilder sb = new StringBuilder("ts,sym,price\n");
    String[] times = {
      "10:00", "10:01", "10:01", "", "10:02", "", "10:02", "10:02", "10:03", "", "10:04"
    };
    for (String sym : symbols ? new String[] {"A", "B"} : new String[] {"A"}) {
      for (int i = 0; i < times.length; i++) {
        String ts = times[i].isEmpty() ? "" : "2024-03-01 " + times[i] + ":00";
        sb.append(ts).append(',').append(sym).append(',').append(100 + i).append('\n');
      }
    }
    Path csv = Files.writeString(dir.resolve("dups.csv"), sb.toString());
    String contract =
        """
        columns: {ts: {type: timestamp}}
        unique_key: %s
        %s
        max_bad_row_rate: 0.5
        monotonic: %s
        """;
    String key = symbols ? "[sym, ts]" : "[ts]";
    String symbol = symbols ? "symbol_column: sym" : "";
    List<String> neighbours = quarantined(csv, contract.formatted(key, symbol, true));
    List<String> exact = quarantined(csv, contract.formatted(key, symbol, false));

    assertThat(neighbours).isEqualTo(exact);
    // per symbol: the second 10:01, the second and third 10:02, the second and third empty time
    assertThat(neighbours).hasSize(symbols ? 10 : 5);
    assertThat(neighbours).allMatch(r -> r.contains(": duplicate key ("));
  }

  /** The quarantined rows as "source row: reason". */
  private List<String> quarantined(Path csv, String contract) {
    var result = runs.run(flow(csv, contract));
    assertThat(result.state()).as(runs.task("validate").error()).isEqualTo(RunState.SUCCEEDED);
    return QuantRuns.query(
            "SELECT source_row, reason FROM "
                + runs.file("validate", "quarantine.parquet")
                + " ORDER BY source_row")
        .stream()
        .map(r -> r.get("source_row") + ": " + r.get("reason"))
        .toList();
  }

  @Test
  void withNothingToQuarantineTheOutputIsTheInputLinkedWhenPublishedAndCopiedOtherwise()
      throws Exception {
    StringBuilder sb = new StringBuilder("ts,price,volume\n");
    for (int i = 0; i < 50; i++) {
      sb.append("2024-03-01 10:").append(String.format("%02d", i)).append(":00,1").append(i);
      sb.append(".5,").append(i).append('\n');
    }
    Path csv = Files.writeString(dir.resolve("clean.csv"), sb.toString());
    assertThat(runs.run(flow(csv, CONTRACT)).state()).isEqualTo(RunState.SUCCEEDED);
    Path ingested = runs.out("ingest").resolve("data.parquet");
    Path validated = runs.out("validate").resolve("data.parquet");
    assertThat(Files.isSameFile(validated, ingested))
        .as("an upstream output never changes, so it is hard-linked")
        .isTrue();
    assertThat(runs.task("validate").outputs()).containsEntry("quarantined", "0");
    assertThat(
            QuantRuns.scalar("SELECT count(*) FROM " + runs.file("validate", "quarantine.parquet")))
        .isEqualTo(0L);

    Path own = Files.copy(ingested, dir.resolve("mine.parquet"));
    String direct =
        """
        name: v
        tasks:
          - id: validate
            type: validate
            config:
              input: %s
              timestamp_column: ts
        %s
        """
            .formatted(own, CONTRACT.indent(6));
    assertThat(runs.run(direct).state()).isEqualTo(RunState.SUCCEEDED);
    Path copy = runs.out("validate").resolve("data.parquet");
    assertThat(Files.isSameFile(copy, own)).as("a user's file may change: copied").isFalse();
    assertThat(Files.mismatch(copy, own)).isEqualTo(-1L);
  }

  /**
   * With nothing quarantined, no rule was broken, so the report leaves the covered columns out of
   * its scan; the nulls of a nullable column and of one the contract does not name still count.
   */
  @Test
  void aCleanInputStillReportsTheNullsItAllows() throws Exception {
    StringBuilder sb = new StringBuilder("ts,price,volume,venue\n");
    for (int i = 0; i < 50; i++) {
      sb.append("2024-03-01 10:").append(String.format("%02d", i)).append(":00,1").append(i);
      sb.append(".5,").append(i % 10 == 0 ? "" : i).append(',').append(i % 5 == 0 ? "" : "X");
      sb.append('\n');
    }
    Path csv = Files.writeString(dir.resolve("clean.csv"), sb.toString());
    assertThat(runs.run(flow(csv, CONTRACT)).state()).isEqualTo(RunState.SUCCEEDED);
    Map<?, ?> quality =
        (Map<?, ?>) Json.read(runs.out("validate").resolve("metadata.json")).get("quality");
    assertThat(quality.get("rows_quarantined")).isEqualTo(0);
    assertThat(quality.get("null_rates"))
        .isEqualTo(Map.of("ts", 0.0, "price", 0.0, "volume", 0.1, "venue", 0.2));
    assertThat(quality.get("violations"))
        .isEqualTo(
            Map.of(
                "null ts", 0,
                "null price", 0,
                "price out of range [0, 1000]", 0,
                "volume out of range [0, inf]", 0,
                "duplicate key (ts)", 0,
                "timestamp out of order", 0));
  }

  @Test
  void aNanBurstPastTheThresholdFailsTheTaskAndSaysWhy() throws Exception {
    assertThat(runs.run(flow(dirtyCsv(40), CONTRACT)).state()).isEqualTo(RunState.FAILED);
    assertThat(runs.task("validate").error())
        .contains("data quality check failed")
        .contains("above max_bad_row_rate 20.00%")
        .contains("null price (40)");
    assertThat(runs.out("validate")).doesNotExist();
  }

  @Test
  void schemaDriftFailsAtOnceWithExpectedVersusFound() throws Exception {
    Path csv =
        Files.writeString(dir.resolve("drift.csv"), "ts,price,extra\n2024-03-01 10:00:00,abc,1\n");
    assertThat(
            runs.run(
                    flow(
                        csv,
                        """
        columns:
          ts: {type: timestamp}
          price: {type: double}
          volume: {type: int}
        strict: true
        """))
                .state())
        .isEqualTo(RunState.FAILED);
    assertThat(runs.task("validate").error())
        .contains("schema drift")
        .containsPattern("price\\s+double\\s+VARCHAR")
        .containsPattern("volume\\s+int\\s+\\(missing\\)")
        .containsPattern("extra\\s+\\(not in contract\\)\\s+BIGINT");
  }

  @Test
  void nullRateAboveTheColumnLimitFails() throws Exception {
    Path csv = QuantRuns.data("spi_sectors_daily.csv");
    String yaml =
        """
        name: v
        tasks:
          - {id: ingest, type: ingest, config: {path: "%s", timestamp_column: date}}
          - id: validate
            type: validate
            depends_on: [ingest]
            retry: {max_attempts: 1}
            config:
              input: ${tasks.ingest.output_dir}
              timestamp_column: date
              columns:
                spi: {type: double, max_null_rate: 0.001}
        """
            .formatted(csv);
    assertThat(runs.run(yaml).state()).isEqualTo(RunState.FAILED);
    assertThat(runs.task("validate").error())
        .contains("column spi is 0.72% null, above its max_null_rate 0.10%");
  }

  /**
   * A rate limit written as a percentage ({@code 5} for 5%) would be a limit nothing ever passes:
   * refused when the flow loads, or when a template resolves to it; so are a range no value fits
   * and a bound that is not a number.
   */
  @Test
  void aLimitThatCannotBeMeantIsRefused() throws Exception {
    Path csv = dirtyCsv(3);
    String percent = CONTRACT.replace("max_bad_row_rate: 0.2", "max_bad_row_rate: 5");
    String nullRate =
        CONTRACT.replace("volume: {type: int, min: 0}", "volume: {type: int, max_null_rate: 10}");
    String templated =
        flow(csv, CONTRACT.replace("max_bad_row_rate: 0.2", "max_bad_row_rate: \"${params.rate}\""))
            .replace("tasks:", "params: {rate: {type: float, default: 20}}\ntasks:");

    assertThatThrownBy(() -> runs.run(flow(csv, percent)))
        .hasMessageContaining(
            "'max_bad_row_rate' must be a fraction between 0 and 1 (0.05 is 5%), was '5'");
    assertThatThrownBy(() -> runs.run(flow(csv, nullRate)))
        .hasMessageContaining(
            "'columns.volume.max_null_rate' must be a fraction between 0 and 1 (0.05 is 5%)")
        .hasMessageContaining("hint: max_null_rate: 0.01 (1%)");
    assertThatThrownBy(
            () -> runs.run(flow(csv, CONTRACT.replace("min: 0, max: 1000", "min: 1000, max: 0"))))
        .hasMessageContaining("column 'price': min 1000 is above max 0: every row would fail");
    assertThatThrownBy(() -> runs.run(flow(csv, CONTRACT.replace("max: 1000", "max: lots"))))
        .hasMessageContaining("column 'price': max must be a number, was 'lots'");
    // a misspelt rule would leave that part of the contract unchecked
    assertThatThrownBy(
            () ->
                runs.run(
                    flow(
                        csv,
                        CONTRACT.replace(
                            "volume: {type: int, min: 0}", "volume: {type: int, mn: 0}"))))
        .hasMessageContaining("columns.volume takes no 'mn'")
        .hasMessageContaining("did you mean 'min'?");
    // a param's value is refused before the run, naming the task and the setting
    assertThatThrownBy(() -> runs.run(templated))
        .hasMessageContaining("task 'validate' (validate), with the params given:")
        .hasMessageContaining(
            "'max_bad_row_rate' must be a fraction between 0 and 1 (0.05 is 5%), was '20");
    String templatedNullRate =
        flow(
                csv,
                CONTRACT.replace(
                    "volume: {type: int, min: 0}",
                    "volume: {type: int, max_null_rate: \"${params.rate}\"}"))
            .replace("tasks:", "params: {rate: {type: float, default: 10}}\ntasks:");
    assertThatThrownBy(() -> runs.run(templatedNullRate))
        .hasMessageContaining(
            "'columns.volume.max_null_rate' must be a fraction between 0 and 1 (0.05 is 5%),"
                + " was '10");
  }

  /**
   * {@code profile: true} writes seed 002's data profile of the rows that passed, as pandas'
   * describe() gives it: the 100 good rows' prices are 100.5 .. 199.5 (mean 150, standard deviation
   * that of 0 .. 99 with n - 1: 29.0115), volumes 10 .. 109.
   */
  @Test
  void aProfileDescribesTheRowsThatPassed() throws Exception {
    Path csv = dirtyCsv(3);

    var r = runs.run(flow(csv, CONTRACT + "profile: true\n"));

    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    Map<String, Object> profile = Json.read(runs.out("validate").resolve("profile.json"));
    assertThat(profile).containsEntry("rows", 100);
    Map<?, ?> columns = (Map<?, ?>) profile.get("columns");
    Map<?, ?> price = (Map<?, ?>) columns.get("price");
    assertThat(price.get("count")).isEqualTo(100);
    assertThat((Double) price.get("mean")).isCloseTo(150.0, within(1e-12));
    assertThat((Double) price.get("std")).isCloseTo(29.011491975882016, within(1e-12));
    assertThat(price.get("min")).isEqualTo(100.5);
    assertThat(price.get("max")).isEqualTo(199.5);
    // pandas: Series(np.arange(100) + 100.5).quantile([.25, .5, .75]) = 125.25, 150.0, 174.75
    assertThat(price.get("25%")).isEqualTo(125.25);
    assertThat(price.get("50%")).isEqualTo(150.0);
    assertThat(price.get("75%")).isEqualTo(174.75);
    Map<?, ?> volume = (Map<?, ?>) columns.get("volume");
    assertThat((Double) volume.get("mean")).isCloseTo(59.5, within(1e-12));
    assertThat(volume.get("min")).isEqualTo(10);
    Map<?, ?> ts = (Map<?, ?>) columns.get("ts");
    assertThat(ts.get("first")).isEqualTo("2024-03-01 10:00:00");
    assertThat(ts.get("last")).isEqualTo("2024-03-01 11:39:00");
    assertThat(ts.get("nulls")).isEqualTo(0);
    assertThatThrownBy(() -> runs.run(flow(csv, CONTRACT + "profile: yes please\n")))
        .hasMessageContaining("profile is true or false, was 'yes please'");
  }
}
