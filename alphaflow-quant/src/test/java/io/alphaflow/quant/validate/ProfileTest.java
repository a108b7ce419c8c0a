package io.alphaflow.quant.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.alphaflow.quant.data.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {
  @TempDir Path dir;

  /**
   * 1,000 rows: x is i / 10 but NULL at every 100th row, NaN at every 101st, +inf at row 7 and -inf
   * at row 8; k is i, NULL at every 50th; a time, a label, a flag and a decimal.
   */
  private Path data(Connection db) throws Exception {
    Path file = dir.resolve("data.parquet");
    Sql.exec(
        db,
        "COPY (SELECT TIMESTAMP '2024-03-01 10:00:00' + to_minutes(i) AS ts,"
            + " CASE WHEN i % 100 = 0 THEN NULL WHEN i % 101 = 0 THEN 'NaN'::DOUBLE"
            + " WHEN i = 7 THEN 'inf'::DOUBLE WHEN i = 8 THEN '-inf'::DOUBLE ELSE i / 10 END AS x,"
            + " CASE WHEN i % 50 = 0 THEN NULL ELSE i END::INTEGER AS k,"
            + " 'book ' || (i % 3) AS book, i % 2 = 0 AS even, (i / 4)::DECIMAL(10, 2) AS d"
            + " FROM range(1, 1001) t(i)) TO '"
            + file
            + "' (FORMAT parquet)");
    return file;
  }

  @Test
  void numericFiguresSummedInPartsAreThoseOfOnePass() throws Exception {
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:")) {
      Path file = data(db);
      Map<String, String> columns = Sql.columns(db, "read_parquet('" + file + "')");

      Map<?, ?> inParts = columns(Profile.of(db, file, 1000, columns, 100));
      Map<?, ?> whole = columns(Profile.of(db, file, 1000, columns, 1 << 20));

      Map<?, ?> x = (Map<?, ?>) inParts.get("x");
      // NULL at 100, 200, ..., 1000 (10) and NaN at 101, 202, ..., 909 (9): both nulls
      assertThat(x.get("nulls")).isEqualTo(19L);
      // the infinities are neither nulls nor counted, nor the minimum and maximum
      assertThat(x.get("count")).isEqualTo(979L);
      assertThat(x.get("min")).isEqualTo(0.1);
      assertThat(x.get("max")).isEqualTo(99.9);
      Map<?, ?> k = (Map<?, ?>) inParts.get("k");
      assertThat(k.get("nulls")).isEqualTo(20L);
      assertThat(k.get("min")).isEqualTo(1); // an integer column's minimum is an integer
      assertThat(k.get("max")).isEqualTo(999);
      assertThat(((Map<?, ?>) inParts.get("d")).get("max"))
          .isEqualTo(new java.math.BigDecimal("250.00"));
      // 10:00 plus 1,000 minutes
      assertThat(((Map<?, ?>) inParts.get("ts")).get("last")).isEqualTo("2024-03-02 02:40:00");
      assertThat(((Map<?, ?>) inParts.get("book")).get("distinct")).isEqualTo(3L);
      for (Object column : whole.keySet()) {
        Map<?, ?> a = (Map<?, ?>) inParts.get(column);
        Map<?, ?> b = (Map<?, ?>) whole.get(column);
        assertThat(a.keySet()).as("%s", column).isEqualTo(b.keySet());
        for (Object key : b.keySet()) {
          if (key.equals("mean") || key.equals("std")) {
            assertThat((Double) a.get(key))
                .as("%s %s", column, key)
                .isCloseTo((Double) b.get(key), within(1e-12));
          } else {
            assertThat(a.get(key)).as("%s %s", column, key).isEqualTo(b.get(key));
          }
        }
      }
    }
  }

  private static Map<?, ?> columns(Map<String, Object> profile) {
    return (Map<?, ?>) profile.get("columns");
  }
}
