package io.alphaflow.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alphaflow.core.run.RunState;
import io.alphaflow.quant.data.FileHashes;
import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.ingest.IngestTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestIT {
  @TempDir Path dir;
  private QuantRuns runs;

  @BeforeEach
  void setUp() {
    runs = new QuantRuns(dir.resolve("home"));
  }

  private String ingest(String path, String extra) {
    return "name: ingest\ntasks:\n  - id: ingest\n    type: ingest\n    retry: {max_attempts: 1}\n    config: {path: \""
        + path
        + "\""
        + extra
        + "}\n";
  }

  @Test
  void dailyCsvBecomesParquetWithMetadataAndLineage() throws Exception {
    Path msft = QuantRuns.data("msft_daily_ohlcv.csv");
    assertThat(runs.run(ingest(msft.toString(), ", timestamp_column: date, symbol: MSFT")).state())
        .isEqualTo(RunState.SUCCEEDED);

    assertThat(QuantRuns.scalar("SELECT count(*) FROM " + runs.file("ingest", "data.parquet")))
        .isEqualTo(249L);
    Map<String, Object> first =
        QuantRuns.query("SELECT * FROM " + runs.file("ingest", "data.parquet") + " LIMIT 1").get(0);
    assertThat(first.get("date").toString()).startsWith("2000-09-27");
    assertThat(first.get("close")).isEqualTo(60.625);
    assertThat(first.get("symbol")).isEqualTo("MSFT");

    Map<String, Object> meta = Json.read(runs.out("ingest").resolve("metadata.json"));
    assertThat(meta.get("rows")).isEqualTo(249);
    assertThat(((Map<?, ?>) meta.get("time_range")).get("first").toString())
        .startsWith("2000-09-27");
    Map<?, ?> source = (Map<?, ?>) ((List<?>) meta.get("source_files")).get(0);
    assertThat(source.get("content_hash")).isEqualTo(FileHashes.of(msft));
    assertThat(source.get("size_bytes")).isEqualTo((int) Files.size(msft));
    assertThat(runs.task("ingest").outputs()).containsEntry("rows", "249");
  }

  /**
   * Ingest knows from its own select whether it writes text: a symbol keeps Parquet's dictionaries,
   * a file of times and prices is written without them (Dataset.writeParquet).
   */
  @Test
  void aSymbolKeepsItsDictionaryAndNumbersAloneGoWithout() throws Exception {
    runs.run(
        ingest(
            QuantRuns.data("msft_daily_ohlcv.csv").toString(),
            ", timestamp_column: date, symbol: MSFT"));
    assertThat(encodings(runs.file("ingest", "data.parquet"))).containsEntry("symbol", true);

    runs.run(
        ingest(QuantRuns.data("usdchf_30min.csv").toString(), ", timestamp_column: timestamp"));
    assertThat(encodings(runs.file("ingest", "data.parquet")))
        .containsEntry("timestamp", false)
        .containsEntry("price", false);
  }

  /** Column → whether any of its pages is dictionary-encoded. */
  private static Map<String, Boolean> encodings(String file) {
    Map<String, Boolean> out = new java.util.HashMap<>();
    for (Map<String, Object> r :
        QuantRuns.query(
            "SELECT path_in_schema AS c, bool_or(encodings LIKE '%DICTIONARY%') AS d"
                + " FROM parquet_metadata("
                + file
                + ") GROUP BY 1")) {
      out.put((String) r.get("c"), (Boolean) r.get("d"));
    }
    return out;
  }

  @Test
  void isoUtcTimestampsStayInUtcAndLocalOnesAreConverted() throws Exception {
    runs.run(
        ingest(QuantRuns.data("usdchf_30min.csv").toString(), ", timestamp_column: timestamp"));
    assertThat(
            QuantRuns.scalar(
                "SELECT min(timestamp)::VARCHAR FROM " + runs.file("ingest", "data.parquet")))
        .isEqualTo("1996-03-31 22:00:00");

    Path local = dir.resolve("ny.csv");
    Files.writeString(local, "timestamp,price\n2024-03-01 09:30:00,100\n2024-07-01 09:30:00,101\n");
    runs.run(ingest(local.toString(), ", timestamp_column: timestamp, timezone: America/New_York"));
    assertThat(
            QuantRuns.query(
                "SELECT timestamp::VARCHAR AS t FROM " + runs.file("ingest", "data.parquet")))
        .extracting(r -> r.get("t"))
        .containsExactly("2024-03-01 14:30:00", "2024-07-01 13:30:00");
  }

  @Test
  void dateGlobAndPartitionedDirectoriesAreRead() throws Exception {
    for (String day : List.of("2024-03-01", "2024-03-04")) {
      Path p = dir.resolve("raw").resolve("date=" + day);
      Files.createDirectories(p);
      Files.writeString(
          p.resolve("ticks.csv"), "ts,price\n" + day + " 10:00:00,1.5\n" + day + " 10:01:00,1.6\n");
    }
    runs.run(ingest(dir.resolve("raw").toString(), ", timestamp_column: ts"));
    assertThat(runs.task("ingest").state().name()).isEqualTo("SUCCEEDED");
    assertThat(
            QuantRuns.query(
                "SELECT date::VARCHAR AS d, count(*) AS n FROM "
                    + runs.file("ingest", "data.parquet")
                    + " GROUP BY 1 ORDER BY 1"))
        .extracting(r -> r.get("d") + "=" + r.get("n"))
        .containsExactly("2024-03-01=2", "2024-03-04=2");
  }

  /**
   * A European export: ';' between fields, ',' before the decimals. Without decimal_separator the
   * prices stay text, and the run's outputs name the column; with it they are numbers.
   */
  @Test
  void decimalCommasAreReadWithDecimalSeparatorAndNamedWithoutIt() throws Exception {
    Path european =
        Files.writeString(
            dir.resolve("eu.csv"),
            "timestamp;price;venue\n2024-01-01;1234,5;XETR\n2024-01-02;-0,25;XETR\n");

    runs.run(ingest(european.toString(), ", timestamp_column: timestamp"));
    assertThat(runs.task("ingest").outputs()).containsEntry("decimal_comma_columns", "price");
    assertThat(Json.read(runs.out("ingest").resolve("metadata.json")))
        .containsEntry("decimal_comma_columns", List.of("price"));

    assertThat(
            runs.run(
                    ingest(
                        european.toString(),
                        ", timestamp_column: timestamp, decimal_separator: ','"))
                .state())
        .isEqualTo(RunState.SUCCEEDED);
    assertThat(runs.task("ingest").outputs()).doesNotContainKey("decimal_comma_columns");
    assertThat(
            QuantRuns.query(
                "SELECT price FROM " + runs.file("ingest", "data.parquet") + " ORDER BY timestamp"))
        .extracting(r -> r.get("price"))
        .containsExactly(1234.5, -0.25);
    assertThatThrownBy(() -> runs.run(ingest(european.toString(), ", decimal_separator: ';'")))
        .hasMessageContaining("decimal_separator is '.' or ',', was ';'");
  }

  @Test
  void badFilesFailWithAReasonAndLeaveNoOutput() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.csv"), "");
    Path header = Files.writeString(dir.resolve("header.csv"), "timestamp,price\n");
    Path semicolons =
        Files.writeString(dir.resolve("semi.csv"), "timestamp;price\n2024-01-01;1\n2024-01-02;2\n");
    Path text =
        Files.writeString(
            dir.resolve("text.csv"), "timestamp,price\n2024-01-01,1\n2024-01-02,abc\n");

    assertThat(failure(ingest(empty.toString(), ""))).contains("is empty (0 bytes)");
    assertThat(failure(ingest(header.toString(), ""))).contains("has no data rows");
    assertThat(runs.run(ingest(semicolons.toString(), "")).state())
        .as("the sniffer finds ';' itself")
        .isEqualTo(RunState.SUCCEEDED);
    assertThat(failure(ingest(semicolons.toString(), ", delimiter: ','")))
        .contains("delimiter looks like ';'");
    assertThat(failure(ingest(text.toString(), ", schema: {price: DOUBLE}")))
        .contains("abc")
        .contains("Line: 3")
        .contains("fix or remove that row, or read the column as text (schema: {price: VARCHAR})");
    assertThat(failure(ingest(dir.resolve("nope-*.csv").toString(), "")))
        .contains("no CSV or Parquet files match")
        .doesNotContain("relative path");
    assertThat(failure(ingest("examples/data/nope.csv", "")))
        .contains("no CSV or Parquet files match examples/data/nope.csv (a relative path, read")
        .contains(Path.of("").toAbsolutePath() + "): run from the directory it is relative to");
    Path notes = Files.writeString(dir.resolve("notes.txt"), "timestamp,price\n2024-01-01,1\n");
    assertThat(failure(ingest(notes.toString(), "")))
        .contains("notes.txt is not a CSV (.csv, .csv.gz) or Parquet (.parquet) file");
    assertThat(
            failure(
                ingest(
                    QuantRuns.data("msft_daily_ohlcv.csv").toString(), ", timestamp_column: when")))
        .contains("timestamp_column 'when' is not in the data");
  }

  /**
   * With {@code on_bad_rows: quarantine} a CSV row that cannot be read (a value past the rows
   * DuckDB sampled that its column's type cannot hold, a line with a field too many) goes to
   * rejected.parquet with its file, line and error, and the other rows go on; past {@code
   * max_bad_row_rate} the task fails naming the first. Without it, the first such row fails the
   * task, as before.
   */
  @Test
  void unreadableRowsAreQuarantinedWhenAskedAndFailTheTaskOtherwise() throws Exception {
    StringBuilder csv = new StringBuilder("timestamp,price\n");
    for (int i = 0; i < 30_000; i++) {
      String price = i == 25_000 ? "n/a" : String.valueOf(100 + i % 7 + 0.25);
      csv.append("2024-01-02 09:30:00,").append(price).append(i == 28_000 ? ",extra\n" : "\n");
    }
    Path file = Files.writeString(dir.resolve("vendor.csv"), csv);

    assertThat(failure(ingest(file.toString(), ", timestamp_column: timestamp")))
        .contains("Line: 25002");

    var quarantined =
        runs.run(ingest(file.toString(), ", timestamp_column: timestamp, on_bad_rows: quarantine"));
    assertThat(quarantined.state()).as(quarantined.error()).isEqualTo(RunState.SUCCEEDED);
    assertThat(runs.task("ingest").outputs())
        .containsEntry("rows", "29998")
        .containsEntry("rejected", "2");
    List<Map<String, Object>> rejected =
        QuantRuns.query(
            "SELECT line, error, line_text, file FROM "
                + runs.file("ingest", IngestTask.REJECTED_FILE)
                + " ORDER BY line");
    assertThat(rejected).hasSize(2);
    assertThat(rejected.get(0))
        .containsEntry("line", 25002L)
        .containsEntry("error", "CAST")
        .containsEntry("line_text", "2024-01-02 09:30:00,n/a");
    assertThat(rejected.get(1)).containsEntry("line", 28002L);
    assertThat(rejected.get(1).get("error").toString()).isEqualTo("TOO MANY COLUMNS");
    assertThat(rejected.get(1).get("file").toString()).endsWith("vendor.csv");
    Map<String, Object> meta = Json.read(runs.out("ingest").resolve("metadata.json"));
    assertThat(meta)
        .containsEntry("rows_rejected", 2)
        .containsEntry("rejected_file", "rejected.parquet");
    assertThat(QuantRuns.scalar("SELECT count(*) FROM " + runs.file("ingest", "data.parquet")))
        .isEqualTo(29_998L);

    // with a declared schema too; and past max_bad_row_rate the task fails, naming the first row
    Path small =
        Files.writeString(
            dir.resolve("small.csv"),
            "timestamp,price\n2024-01-02,1\n2024-01-03,x\n2024-01-04,3\n");
    assertThat(
            failure(
                ingest(
                    small.toString(),
                    ", schema: {price: DOUBLE}, on_bad_rows: quarantine, max_bad_row_rate: 0.2")))
        .contains("1 of 3 rows of " + small + " could not be read (33.33%)")
        .contains("above max_bad_row_rate 20.00%")
        .contains("the first: line 3 of " + small);
    assertThat(
            runs.run(
                    ingest(
                        small.toString(),
                        ", schema: {price: DOUBLE}, on_bad_rows: quarantine, max_bad_row_rate: 0.5"))
                .state())
        .isEqualTo(RunState.SUCCEEDED);
    assertThat(runs.task("ingest").outputs()).containsEntry("rows", "2");
  }

  /**
   * Quarantine reads several files by column position (DuckDB keeps rejected rows only then): files
   * with the same header are quarantined row by row, each rejected row naming its file; a file
   * whose header differs is refused rather than read into the wrong columns.
   */
  @Test
  void quarantineAcrossFilesNamesEachRowsFileAndRefusesDifferingHeaders() throws Exception {
    Path days = Files.createDirectories(dir.resolve("days"));
    Files.writeString(days.resolve("d1.csv"), "timestamp,price\n2024-01-01,1\n2024-01-02,2\n");
    Files.writeString(days.resolve("d2.csv"), "timestamp,price\n2024-01-03,x\n2024-01-04,4\n");
    String glob = days.resolve("*.csv").toString();
    String quarantine = ", schema: {price: DOUBLE}, on_bad_rows: quarantine, max_bad_row_rate: 0.5";

    var r = runs.run(ingest(glob, quarantine));
    assertThat(r.state()).as(r.error()).isEqualTo(RunState.SUCCEEDED);
    assertThat(runs.task("ingest").outputs())
        .containsEntry("rows", "3")
        .containsEntry("rejected", "1");
    assertThat(
            QuantRuns.scalar(
                "SELECT file || ':' || line FROM " + runs.file("ingest", IngestTask.REJECTED_FILE)))
        .isEqualTo(days.resolve("d2.csv") + ":2");

    Files.writeString(days.resolve("d3.csv"), "price,timestamp\n5,2024-01-05\n");
    assertThat(failure(ingest(glob, quarantine)))
        .contains("d3.csv's header 'price,timestamp' differs from")
        .contains("ingest them in separate tasks, or without on_bad_rows: quarantine");
  }

  @Test
  void aBadRowPolicyThatIsNotOneIsRefusedWhenTheFlowLoads() {
    assertThatThrownBy(() -> runs.run(ingest("x.csv", ", on_bad_rows: skip")))
        .hasMessageContaining("unknown on_bad_rows 'skip'")
        .hasMessageContaining("use fail (the default) or quarantine");
    assertThatThrownBy(() -> runs.run(ingest("x.csv", ", max_bad_row_rate: 5")))
        .hasMessageContaining("'max_bad_row_rate' must be a fraction between 0 and 1");
    assertThatThrownBy(() -> runs.run(ingest("x.csv", ", timezone: Mars/Olympus")))
        .hasMessageContaining("unknown timezone 'Mars/Olympus'")
        .hasMessageContaining("an IANA name such as America/New_York");
    // the short names DuckDB also reads load
    assertThat(failure(ingest("nope.csv", ", timezone: EST")))
        .contains("no CSV or Parquet files match");
    // a type DuckDB does not know, not DuckDB's guess at run time ("Did you mean JSON?")
    assertThatThrownBy(
            () -> runs.run(ingest("x.csv", ", schema: {close: DOUBEL, volume: BIGINT, n: int2}")))
        .hasMessageContaining("column 'close': DuckDB knows no type 'DOUBEL'")
        .hasMessageContaining("did you mean DOUBLE?")
        .hasMessageContaining("1 problem");
    // any type DuckDB reads loads, sized, nested and zoned ones too
    assertThat(
            failure(
                ingest(
                    "nope.csv",
                    ", schema: {a: \"DECIMAL(18,3)\", b: \"DOUBLE[]\", c: TIMESTAMP WITH TIME ZONE,"
                        + " d: varchar}")))
        .contains("no CSV or Parquet files match");
  }

  /**
   * A time the column cannot hold fails the ingest naming the value, its line and the fix, not
   * DuckDB's cast error and a piece of our SQL; with a timestamp_format, the value that does not
   * fit it.
   */
  @Test
  void anUnreadableTimestampIsNamedWithItsLine() throws Exception {
    Path csv =
        Files.writeString(
            dir.resolve("times.csv"),
            "timestamp,price\n2024-01-02 09:30:00,1\n2024-01-02 09:31:00,2\nnot-a-date,3\n");
    assertThat(failure(ingest(csv.toString(), ", timestamp_column: timestamp")))
        .contains("timestamp_column 'timestamp' holds 'not-a-date' on line 4")
        .contains("timestamp_format")
        .doesNotContain("LINE 1");

    Path european =
        Files.writeString(
            dir.resolve("eu.csv"), "timestamp,price\n02/01/2024 09:30,1\n2024-01-02 09:31,2\n");
    assertThat(
            failure(
                ingest(
                    european.toString(),
                    ", timestamp_column: timestamp, timestamp_format: '%d/%m/%Y %H:%M'")))
        .contains("holds '2024-01-02 09:31' on line 3, which is not in timestamp_format");
    Files.writeString(european, "timestamp,price\n02/01/2024 09:30,1\n03/01/2024 09:31,2\n");
    assertThat(
            runs.run(
                    ingest(
                        european.toString(),
                        ", timestamp_column: timestamp, timestamp_format: '%d/%m/%Y %H:%M'"))
                .state())
        .isEqualTo(RunState.SUCCEEDED);
    assertThat(
            QuantRuns.scalar(
                "SELECT max(timestamp)::VARCHAR FROM " + runs.file("ingest", "data.parquet")))
        .isEqualTo("2024-01-03 09:31:00");
  }

  /**
   * DuckDB types a CSV column from the rows it samples and casts what follows, rounding 1.5 to 2 in
   * a whole-number column. Ingest checks every value instead: a fraction past the sample fails,
   * naming the column, the value and the fix, and the fix keeps the fraction.
   */
  @Test
  void aFractionPastTheSampledRowsFailsRatherThanBeingRounded() throws Exception {
    StringBuilder csv = new StringBuilder("timestamp,shares\n");
    for (int i = 0; i < 30_000; i++) {
      csv.append("2024-01-01 00:00:00,").append(i % 500).append('\n');
    }
    csv.append("2024-01-02 00:00:00,1.5\n");
    Path late = Files.writeString(dir.resolve("late.csv"), csv);

    assertThat(failure(ingest(late.toString(), "")))
        .contains("column 'shares' looked like whole numbers")
        .contains("holds '1.5'")
        .contains("schema: {shares: DOUBLE}");
    assertThat(runs.run(ingest(late.toString(), ", schema: {shares: DOUBLE}")).state())
        .isEqualTo(RunState.SUCCEEDED);
    assertThat(
            QuantRuns.scalar(
                "SELECT shares FROM "
                    + runs.file("ingest", "data.parquet")
                    + " WHERE timestamp >= TIMESTAMP '2024-01-02'"))
        .isEqualTo(1.5);

    // whole numbers all the way down stay whole numbers, written with a point or not
    Path whole = Files.writeString(dir.resolve("whole.csv"), csv.toString().replace("1.5", "-7.0"));
    assertThat(runs.run(ingest(whole.toString(), "")).state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(
            QuantRuns.scalar(
                "SELECT any_value(typeof(shares)) || ' ' || sum(shares) FROM "
                    + runs.file("ingest", "data.parquet")))
        .isEqualTo("BIGINT " + (60L * 124_750 - 7));
  }

  /**
   * The same guard where DuckDB types the columns itself: a glob of files, partition directories,
   * and one file with a {@code schema} for its other columns. Partition values stay typed as they
   * are.
   */
  @Test
  void aFractionPastTheSampleFailsInGlobsPartitionsAndPartlyDeclaredFilesToo() throws Exception {
    StringBuilder csv = new StringBuilder("timestamp,shares,price\n");
    for (int i = 0; i < 30_000; i++) {
      csv.append("2024-01-01 00:00:00,").append(i % 500).append(",10.5\n");
    }
    Path late = Files.createDirectories(dir.resolve("year=2024")).resolve("a.csv");
    Files.writeString(late, csv + "2024-01-02 00:00:00,1.5,10.5\n");
    Files.writeString(
        dir.resolve("year=2024").resolve("b.csv"),
        "timestamp,shares,price\n2024-01-03 00:00:00,3,11\n");

    for (String config :
        List.of(
            ingest(dir.resolve("year=2024").resolve("*.csv").toString(), ""),
            ingest(dir.toString(), ""),
            ingest(late.toString(), ", schema: {price: DOUBLE}"))) {
      assertThat(failure(config))
          .as(config)
          .contains("column 'shares' looked like whole numbers")
          .contains("holds '1.5' further down")
          .contains("schema: {shares: DOUBLE}");
    }
    assertThat(failure(ingest(dir.toString(), "")))
        .as("among several files, the one holding the value")
        .contains("holds '1.5' further down in " + late);

    Files.writeString(late, csv + "2024-01-02 00:00:00,-7.0,10.5\n");
    assertThat(runs.run(ingest(dir.toString(), "")).state()).isEqualTo(RunState.SUCCEEDED);
    assertThat(
            QuantRuns.query(
                "SELECT typeof(shares) AS s, typeof(year) AS y, sum(shares) AS total, min(year) AS"
                    + " year FROM "
                    + runs.file("ingest", "data.parquet")
                    + " GROUP BY ALL"))
        .extracting(r -> r.get("s") + " " + r.get("y") + " " + r.get("total") + " " + r.get("year"))
        .containsExactly("BIGINT BIGINT " + (60L * 124_750 - 7 + 3) + " 2024");
  }

  @Test
  void renamedButIdenticalDataHitsTheCacheAndChangedDataMisses() throws Exception {
    Path original = Files.copy(QuantRuns.data("msft_daily_ohlcv.csv"), dir.resolve("msft.csv"));
    Path renamed = Files.copy(original, dir.resolve("renamed.csv"));
    Path changed =
        Files.writeString(
            dir.resolve("changed.csv"), Files.readString(original).replace("60.625", "60.5"));
    try (var store = new io.alphaflow.core.store.memory.InMemoryStore();
        var engine =
            io.alphaflow.core.execution.Engine.builder(store)
                .tasks(io.alphaflow.core.testkit.TestFlows.registry())
                .home(dir.resolve("cache-home"))
                .build()) {
      var parse =
          (java.util.function.Function<Path, io.alphaflow.core.flow.Flow>)
              p ->
                  io.alphaflow.core.testkit.TestFlows.parse(
                      ingest(p.toString(), ", timestamp_column: date"));
      var first = engine.run(parse.apply(original), Map.of());
      var second = engine.run(parse.apply(renamed), Map.of());
      var third = engine.run(parse.apply(changed), Map.of());

      assertThat(first.tasks().get(0).state().name()).isEqualTo("SUCCEEDED");
      assertThat(second.tasks().get(0).state().name()).isEqualTo("SKIPPED_CACHED");
      assertThat(second.tasks().get(0).artifact()).isEqualTo(first.tasks().get(0).artifact());
      assertThat(third.tasks().get(0).state().name()).isEqualTo("SUCCEEDED");
    }
  }

  private String failure(String yaml) {
    assertThat(runs.run(yaml).state()).isEqualTo(RunState.FAILED);
    assertThat(runs.out("ingest")).doesNotExist();
    return runs.task("ingest").error();
  }
}
