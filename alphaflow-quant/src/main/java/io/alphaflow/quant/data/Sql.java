package io.alphaflow.quant.data;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Small SQL helpers: quoting, and reading one row or a column list. */
public final class Sql {
  private Sql() {}

  private static final Set<String> INTEGER_TYPES =
      Set.of(
          "TINYINT",
          "SMALLINT",
          "INTEGER",
          "BIGINT",
          "HUGEINT",
          "UTINYINT",
          "USMALLINT",
          "UINTEGER",
          "UBIGINT",
          "UHUGEINT");

  /** Whether a DuckDB type name, as DESCRIBE gives it, is a whole-number type. */
  public static boolean isInteger(String type) {
    return INTEGER_TYPES.contains(type);
  }

  /**
   * Whether a DuckDB type name, as DESCRIBE gives it, holds numbers: integers, floats, decimals.
   */
  public static boolean isNumber(String type) {
    return isInteger(type)
        || type.equals("DOUBLE")
        || type.equals("FLOAT")
        || type.startsWith("DECIMAL");
  }

  /** Whether a DuckDB type name, as DESCRIBE gives it, is a floating-point type (which has NaN). */
  public static boolean isFloating(String type) {
    return type.equals("DOUBLE") || type.equals("FLOAT");
  }

  /**
   * Whether a DuckDB type name, as DESCRIBE gives it, holds numbers (booleans too, as pandas counts
   * them in {@code df.corr()}).
   */
  public static boolean isNumeric(String type) {
    return isNumber(type) || type.equals("BOOLEAN");
  }

  /** Whether a DuckDB type name, as DESCRIBE gives it, holds text or bytes (nested too). */
  public static boolean isText(String type) {
    return type.contains("VARCHAR") || type.contains("BLOB");
  }

  public static String ident(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  public static String literal(String text) {
    return "'" + text.replace("'", "''") + "'";
  }

  public static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** The first row of {@code sql} as column → value (empty map for no rows). */
  public static Map<String, Object> row(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      Map<String, Object> out = new LinkedHashMap<>();
      if (rs.next()) {
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          out.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
        }
      }
      return out;
    }
  }

  public static long count(Connection c, String relation) throws SQLException {
    return ((Number) row(c, "SELECT count(*) AS n FROM " + relation).get("n")).longValue();
  }

  /** Column name → DuckDB type name of a table expression or a SELECT, in order. */
  public static Map<String, String> columns(Connection c, String relation) throws SQLException {
    Map<String, String> out = new LinkedHashMap<>();
    String query =
        relation.stripLeading().toUpperCase(java.util.Locale.ROOT).startsWith("SELECT")
            ? relation
            : "SELECT * FROM " + relation;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("DESCRIBE " + query)) {
      while (rs.next()) {
        out.put(rs.getString("column_name"), rs.getString("column_type"));
      }
    }
    return out;
  }

  public static List<Map<String, Object>> rows(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      return rows(rs);
    }
  }

  /** The rows of {@code sql}, or none for a statement that returns no rows (a COPY, say). */
  public static List<Map<String, Object>> rowsIfAny(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      if (!s.execute(sql)) {
        return List.of();
      }
      try (ResultSet rs = s.getResultSet()) {
        return rows(rs);
      }
    }
  }

  private static List<Map<String, Object>> rows(ResultSet rs) throws SQLException {
    List<Map<String, Object>> out = new ArrayList<>();
    int n = rs.getMetaData().getColumnCount();
    while (rs.next()) {
      Map<String, Object> r = new LinkedHashMap<>();
      for (int i = 1; i <= n; i++) {
        r.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
      }
      out.add(r);
    }
    return out;
  }
}
