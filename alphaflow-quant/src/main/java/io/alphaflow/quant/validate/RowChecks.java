package io.alphaflow.quant.validate;

import io.alphaflow.quant.data.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The row-level rules of a contract as SQL. Rules on one row (nulls, ranges) are predicates
 * evaluated in the scan; rules across rows (duplicate keys, order) are queries that list the bad
 * rows' numbers, which are few, so the good rows stream out in source order without a sort.
 */
final class RowChecks {
  static final String OUT_OF_ORDER = "timestamp out of order";

  /** A predicate on one row. */
  record Inline(String condition, String reason) {}

  /** A query returning {@code file_row_number, reason} of the rows breaking a cross-row rule. */
  record Across(String query, String reason) {}

  private final List<Inline> inline;
  private final List<Across> across;

  private RowChecks(List<Inline> inline, List<Across> across) {
    this.inline = inline;
    this.across = across;
  }

  static RowChecks build(
      Map<String, Object> cfg, List<ColumnRule> columns, Map<String, String> found, String src) {
    List<Inline> inline = new ArrayList<>();
    for (ColumnRule c : columns) {
      String col = Sql.ident(c.name());
      boolean floating = isFloat(found.get(c.name()));
      if (!c.nullable()) {
        inline.add(
            new Inline(
                floating ? "(" + col + " IS NULL OR isnan(" + col + "))" : col + " IS NULL",
                "null " + c.name()));
      }
      if (c.min() != null || c.max() != null) {
        List<String> cond = new ArrayList<>();
        if (c.min() != null) {
          cond.add(col + " < " + c.min());
        }
        if (c.max() != null) {
          cond.add(col + " > " + c.max());
        }
        String range =
            "["
                + (c.min() == null ? "-inf" : fmt(c.min()))
                + ", "
                + (c.max() == null ? "inf" : fmt(c.max()))
                + "]";
        // NaN sorts above every number in DuckDB; it is reported as null, not as out of range
        String notNan = floating ? "NOT isnan(" + col + ") AND " : "";
        inline.add(
            new Inline(
                "coalesce(" + notNan + "(" + String.join(" OR ", cond) + "), false)",
                c.name() + " out of range " + range));
      }
    }
    List<Across> across = new ArrayList<>();
    Object key = cfg.get("unique_key");
    if (key instanceof List<?> k && !k.isEmpty()) {
      List<String> cols = k.stream().map(o -> Sql.ident(String.valueOf(o))).toList();
      String reason =
          "duplicate key ("
              + k.stream().map(String::valueOf).collect(Collectors.joining(", "))
              + ")";
      String on =
          cols.stream()
              .map(c -> "s." + c + " IS NOT DISTINCT FROM d." + c)
              .collect(Collectors.joining(" AND "));
      across.add(
          new Across(
              "SELECT s.file_row_number, "
                  + Sql.literal(reason)
                  + " AS reason FROM "
                  + src
                  + " s JOIN (SELECT "
                  + String.join(", ", cols)
                  + ", min(file_row_number) AS first FROM "
                  + src
                  + " GROUP BY ALL HAVING count(*) > 1) d ON "
                  + on
                  + " WHERE s.file_row_number > d.first",
              reason));
    }
    String ts = (String) cfg.get("timestamp_column");
    if (ts != null && !Boolean.FALSE.equals(cfg.get("monotonic"))) {
      String symbol = (String) cfg.get("symbol_column");
      // without symbols the previous row is the previous row of the file: a streaming lag(), no
      // sort
      String window =
          symbol == null
              ? "()"
              : "(PARTITION BY " + Sql.ident(symbol) + " ORDER BY file_row_number)";
      String reason = OUT_OF_ORDER;
      across.add(
          new Across(
              "SELECT file_row_number, "
                  + Sql.literal(reason)
                  + " AS reason FROM (SELECT file_row_number, "
                  + Sql.ident(ts)
                  + " AS t, lag("
                  + Sql.ident(ts)
                  + ") OVER "
                  + window
                  + " AS prev FROM "
                  + src
                  + ") WHERE t < prev",
              reason));
    }
    return new RowChecks(inline, across);
  }

  List<Inline> inline() {
    return inline;
  }

  List<Across> across() {
    return across;
  }

  /** True for a row breaking any one-row rule. */
  String anyInline() {
    return inline.isEmpty()
        ? "false"
        : inline.stream().map(Inline::condition).collect(Collectors.joining(" OR "));
  }

  /** The reasons of the one-row rules a row breaks, joined by "; " (empty when none). */
  String inlineReasons() {
    if (inline.isEmpty()) {
      return "''";
    }
    return "concat_ws('; ', "
        + inline.stream()
            .map(r -> "CASE WHEN " + r.condition() + " THEN " + Sql.literal(r.reason()) + " END")
            .collect(Collectors.joining(", "))
        + ")";
  }

  static boolean isFloat(String duckType) {
    String t = duckType == null ? "" : duckType.toUpperCase(Locale.ROOT);
    return t.equals("DOUBLE") || t.equals("FLOAT");
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
