package io.alphaflow.quant.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParquetWriteTest {
  @TempDir Path dir;

  @Test
  void numbersAreWrittenWithoutDictionariesAndTextKeepsThem() throws Exception {
    try (Connection db = Duck.open(Map.of())) {
      Path numbers =
          written(db, "SELECT i % 3 AS side, (i * 0.25)::DOUBLE AS price FROM range(10000) t(i)");
      assertThat(encodings(db, numbers))
          .containsEntry("side", "DELTA_BINARY_PACKED")
          .containsEntry("price", "BYTE_STREAM_SPLIT");
      Path text =
          written(db, "SELECT 'S' || (i % 3) AS symbol, i % 3 AS side FROM range(10000) t(i)");
      assertThat(encodings(db, text))
          .containsEntry("symbol", "RLE_DICTIONARY")
          .containsEntry("side", "RLE_DICTIONARY");

      assertThat(Sql.row(db, "SELECT sum(price) AS s FROM " + Dataset.scan(numbers)).get("s"))
          .isEqualTo(12498750.0);
      assertThat(
              Sql.rows(
                  db,
                  "SELECT symbol, count(*) AS n FROM "
                      + Dataset.scan(text)
                      + " GROUP BY 1 ORDER BY 1"))
          .extracting(r -> r.get("symbol") + "=" + r.get("n"))
          .containsExactly("S0=3334", "S1=3333", "S2=3333");
    }
  }

  private Path written(Connection db, String query) throws Exception {
    Path file = Files.createTempFile(dir, "written", ".parquet");
    Dataset.writeParquet(db, query, file);
    return file;
  }

  /** Column → its data pages' encoding, from the file's footer. */
  private static Map<String, String> encodings(Connection db, Path file) throws Exception {
    List<Map<String, Object>> rows =
        Sql.rows(
            db,
            "SELECT DISTINCT path_in_schema AS c, encodings AS e FROM parquet_metadata("
                + Sql.literal(file.toString())
                + ")");
    return rows.stream()
        .collect(
            java.util.stream.Collectors.toMap(
                r -> (String) r.get("c"), r -> (String) r.get("e"), (a, b) -> a + "," + b));
  }
}
