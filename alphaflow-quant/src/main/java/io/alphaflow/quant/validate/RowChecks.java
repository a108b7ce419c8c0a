package io.alphaflow.quant.validate;

import io.alphaflow.quant.data.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The row-level rules of a contract as SQL: one boolean flag column per rule, and its reason. */
final class RowChecks {
  record Rule(String flag, String condition, String reason) {}

  private final List<Rule> rules;

  private RowChecks(List<Rule> rules) {
    this.rules = rules;
  }

  static RowChecks build(
      Map<String, Object> cfg, List<ColumnRule> columns, Map<String, String> found) {
    List<Rule> rules = new ArrayList<>();
    for (ColumnRule c : columns) {
      String col = Sql.ident(c.name());
      String missing =
          isFloat(found.get(c.name()))
              ? "(" + col + " IS NULL OR isnan(" + col + "))"
              : col + " IS NULL";
      if (!c.nullable()) {
        rules.add(new Rule("_null_" + rules.size(), missing, "null " + c.name()));
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
        String notNan = isFloat(found.get(c.name())) ? "NOT isnan(" + col + ") AND " : "";
        rules.add(
            new Rule(
                "_range_" + rules.size(),
                "coalesce(" + notNan + "(" + String.join(" OR ", cond) + "), false)",
                c.name() + " out of range " + range));
      }
    }
    String ts = (String) cfg.get("timestamp_column");
    String symbol = (String) cfg.get("symbol_column");
    String partition = symbol == null ? "" : "PARTITION BY " + Sql.ident(symbol) + " ";
    Object key = cfg.get("unique_key");
    if (key instanceof List<?> k && !k.isEmpty()) {
      String cols =
          k.stream().map(o -> Sql.ident(String.valueOf(o))).collect(Collectors.joining(", "));
      rules.add(
          new Rule(
              "_dup_" + rules.size(),
              "row_number() OVER (PARTITION BY " + cols + " ORDER BY file_row_number) > 1",
              "duplicate key ("
                  + k.stream().map(String::valueOf).collect(Collectors.joining(", "))
                  + ")"));
    }
    if (ts != null && !Boolean.FALSE.equals(cfg.get("monotonic"))) {
      rules.add(
          new Rule(
              "_order_" + rules.size(),
              "coalesce("
                  + Sql.ident(ts)
                  + " < max("
                  + Sql.ident(ts)
                  + ") OVER ("
                  + partition
                  + "ORDER BY file_row_number ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), false)",
              "timestamp out of order"));
    }
    return new RowChecks(rules);
  }

  List<Rule> rules() {
    return rules;
  }

  String flagColumns() {
    if (rules.isEmpty()) {
      return "false AS _no_rules";
    }
    return rules.stream()
        .map(r -> "(" + r.condition() + ") AS " + r.flag())
        .collect(Collectors.joining(", "));
  }

  String reasonExpression() {
    if (rules.isEmpty()) {
      return "''";
    }
    return "concat_ws('; ', "
        + rules.stream()
            .map(r -> "CASE WHEN " + r.flag() + " THEN " + Sql.literal(r.reason()) + " END")
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
