package io.alphaflow.quant.validate;

import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
  private final Across duplicatesByKey;

  /**
   * @param duplicatesByKey the exact duplicate check, when the order check's pass already reports
   *     the duplicates next to each other: enough as long as nothing was out of order
   */
  private RowChecks(List<Inline> inline, List<Across> across, Across duplicatesByKey) {
    this.inline = inline;
    this.across = across;
    this.duplicatesByKey = duplicatesByKey;
  }

  static RowChecks build(
      Map<String, Object> cfg, List<ColumnRule> columns, Map<String, String> found, String src) {
    List<Inline> inline = new ArrayList<>();
    for (ColumnRule c : columns) {
      String col = Sql.ident(c.name());
      boolean floating = isFloat(found.get(c.name()));
      if (!c.nullable()) {
        inline.add(new Inline(missing(c.name(), found.get(c.name())), "null " + c.name()));
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
    Across duplicates = null;
    List<String> key = new ArrayList<>();
    if (cfg.get("unique_key") instanceof List<?> k) {
      k.forEach(o -> key.add(String.valueOf(o)));
    }
    if (!key.isEmpty()) {
      duplicates = duplicatesByKey(key, src);
      across.add(duplicates);
    }
    String ts = (String) cfg.get("timestamp_column");
    String symbol = (String) cfg.get("symbol_column");
    if (ts == null || !Configs.flag(cfg, "monotonic", true)) {
      return new RowChecks(inline, across, null);
    }
    String t = Sql.ident(ts);
    // without symbols the previous row is the previous row of the file: a streaming lag(), no
    // sort. Rows without a time are left out first, so that a gap (quarantined as null) cannot
    // hide the rows on either side of it being out of order.
    String partition = symbol == null ? "" : "PARTITION BY " + Sql.ident(symbol) + " ";
    String window = symbol == null ? "()" : "(" + partition + "ORDER BY file_row_number)";
    String neighbours =
        "(SELECT file_row_number, "
            + t
            + " AS t, lag("
            + t
            + ") OVER "
            + window
            + " AS prev FROM "
            + src
            + " WHERE "
            + t
            + " IS NOT NULL)";
    List<String> orderKey = symbol == null ? List.of(ts) : List.of(symbol, ts);
    boolean sameKey =
        duplicates != null && key.size() == orderKey.size() && key.containsAll(orderKey);
    if (!sameKey) {
      across.add(
          new Across(
              "SELECT file_row_number, "
                  + Sql.literal(OUT_OF_ORDER)
                  + " AS reason FROM "
                  + neighbours
                  + " WHERE t < prev",
              OUT_OF_ORDER));
      return new RowChecks(inline, across, null);
    }
    // The key is (symbol,) time: in rows already in time order equal keys are neighbours, so the
    // same streaming pass finds the duplicates without a hash table of every key (1 s and 750 MB
    // at 10M rows). Keys without a time are matched among themselves, as the exact check does.
    across.add(
        new Across(
            "SELECT file_row_number, CASE WHEN t < prev THEN "
                + Sql.literal(OUT_OF_ORDER)
                + " ELSE "
                + Sql.literal(duplicates.reason())
                + " END AS reason FROM "
                + neighbours
                + " WHERE t <= prev UNION ALL SELECT file_row_number, "
                + Sql.literal(duplicates.reason())
                + " FROM "
                + src
                + " WHERE "
                + t
                + " IS NULL QUALIFY row_number() OVER ("
                + partition
                + "ORDER BY file_row_number) > 1",
            OUT_OF_ORDER));
    return new RowChecks(inline, across, duplicates);
  }

  /** Every row whose key an earlier row of the file has: a hash table of all keys. */
  private static Across duplicatesByKey(List<String> key, String src) {
    List<String> cols = key.stream().map(Sql::ident).toList();
    String reason = "duplicate key (" + String.join(", ", key) + ")";
    String on =
        cols.stream()
            .map(c -> "s." + c + " IS NOT DISTINCT FROM d." + c)
            .collect(Collectors.joining(" AND "));
    return new Across(
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
        reason);
  }

  /**
   * The query listing every flagged row with its reason. When the order check also reports
   * neighbouring duplicates, the exact duplicate check is left out; {@link #exactDuplicates} says
   * what to run instead should the order check find rows out of order.
   */
  String flaggedQuery() {
    if (across.isEmpty()) {
      return "SELECT NULL::BIGINT AS file_row_number, NULL::VARCHAR AS reason WHERE false";
    }
    return across.stream()
        .filter(a -> a != duplicatesByKey)
        .map(Across::query)
        .collect(Collectors.joining(" UNION ALL "));
  }

  /**
   * The exact duplicate check, when {@link #flaggedQuery} found duplicates as neighbours instead:
   * rows out of order may put equal keys apart, so then it must run.
   */
  Optional<Across> exactDuplicates() {
    return Optional.ofNullable(duplicatesByKey);
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

  /** Whether column {@code name} of DuckDB type {@code type} holds no value: NULL, or NaN. */
  static String missing(String name, String type) {
    String col = Sql.ident(name);
    return isFloat(type) ? "(" + col + " IS NULL OR isnan(" + col + "))" : col + " IS NULL";
  }

  static boolean isFloat(String duckType) {
    String t = duckType == null ? "" : duckType.toUpperCase(Locale.ROOT);
    return t.equals("DOUBLE") || t.equals("FLOAT");
  }

  private static String fmt(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
