package io.alphaflow.quant.features;

import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.data.Sql;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a feature of the user's own SQL reads, from DuckDB's parse of it ({@code
 * json_serialize_sql}) rather than from its words: the columns it names, and every way it would
 * read a row after the current one. The config check only finds {@code lead(} and {@code
 * FOLLOWING}; a window can look ahead in more ways than those words:
 *
 * <ul>
 *   <li>no ORDER BY ({@code avg(x) OVER ()}, {@code OVER (PARTITION BY day)}): the frame is the
 *       whole partition, the future included (a z-score against the full sample's mean);
 *   <li>ordered newest first, or by something other than time;
 *   <li>{@code lag} with a negative offset;
 *   <li>{@code percent_rank}, {@code cume_dist}, {@code ntile}: they divide by the partition's row
 *       count, later rows included;
 *   <li>a subquery, which reads rows other than the current one.
 * </ul>
 */
record SqlFeatureCheck(Set<String> columns, List<String> lookAhead) {
  private static final Set<String> WHOLE_PARTITION = Set.of("percent_rank", "cume_dist", "ntile");

  /**
   * Parses {@code expr} as the features query would run it: with the task's {@code windows} clause
   * ({@code w}, {@code w5}, ...: {@link FeatureCatalog#windows}) whose rows are in {@code order}
   * (the time column; null where there is none, and only those windows are in order). Throws {@link
   * IllegalArgumentException} when DuckDB cannot parse it.
   */
  static SqlFeatureCheck of(Connection db, String expr, String order, String windows)
      throws SQLException {
    String prefix = "SELECT ";
    String statement = prefix + expr + " FROM features" + windows;
    Map<String, Object> parsed =
        Sql.row(db, "SELECT json_serialize_sql(" + Sql.literal(statement) + ") AS j");
    Map<String, Object> tree;
    try {
      tree = Json.parse(String.valueOf(parsed.get("j")));
    } catch (IOException e) {
      throw new IllegalArgumentException("DuckDB's parse of it could not be read", e);
    }
    if (Boolean.TRUE.equals(tree.get("error"))) {
      throw new IllegalArgumentException("DuckDB cannot parse it: " + tree.get("error_message"));
    }
    Walk walk = new Walk(order, prefix.length() + expr.length());
    walk.visit(tree.get("statements"));
    return new SqlFeatureCheck(walk.columns, walk.problems);
  }

  /** A walk of the parse tree, collecting what {@link SqlFeatureCheck} holds. */
  private static final class Walk {
    private final String order; // null: no time column, only the task's windows are in order
    private final int end; // parse positions from here on are the task's own WINDOW clause
    private final Set<String> columns = new LinkedHashSet<>();
    private final List<String> problems = new ArrayList<>();

    Walk(String order, int end) {
      this.order = order;
      this.end = end;
    }

    void visit(Object node) {
      if (node instanceof List<?> list) {
        list.forEach(this::visit);
        return;
      }
      if (!(node instanceof Map<?, ?> map)) {
        return;
      }
      String kind = String.valueOf(map.get("class"));
      if (kind.equals("COLUMN_REF") && !inTaskWindow(map)) {
        List<?> names = (List<?>) map.get("column_names");
        columns.add(String.valueOf(names.getLast()));
      } else if (kind.equals("SUBQUERY")) {
        add("a subquery reads rows other than the current one");
        return;
      } else if (kind.equals("WINDOW")) {
        window(map);
      }
      map.values().forEach(this::visit);
    }

    /**
     * Whether {@code node} comes from the task's own WINDOW clause (ordered as the task orders).
     */
    private boolean inTaskWindow(Object node) {
      return node instanceof Map<?, ?> m
          && m.get("query_location") instanceof Number at
          && at.longValue() >= end;
    }

    private String inOrder() {
      return order == null
          ? "use the task's window (OVER w, or w5 for the last 5 rows), ordered as the input"
              + " (set time_column to order by time)"
          : "order it by "
              + order
              + " (or use the task's window: OVER w, or w5 for the last 5 rows)";
    }

    private void window(Map<?, ?> w) {
      String fn = String.valueOf(w.get("function_name")).toLowerCase(Locale.ROOT);
      String call = fn + "()";
      if (fn.equals("lead")) {
        add("lead() reads later rows");
      }
      if (fn.equals("lag") && w.get("offset_expr") instanceof Map<?, ?> offset) {
        Object value = constant(offset);
        if (!(value instanceof Number n)) {
          add("lag()'s offset must be a whole number of rows back, was not a constant");
        } else if (n.longValue() < 0) {
          add("lag() with the negative offset " + n + " reads later rows");
        }
      }
      if (WHOLE_PARTITION.contains(fn)) {
        add(call + " divides by the partition's row count, later rows included");
      }
      List<?> orders = (List<?>) w.get("orders");
      if (orders == null || orders.isEmpty()) {
        if (!WHOLE_PARTITION.contains(fn)) {
          add(
              call
                  + " over a window with no ORDER BY spans its whole partition, later rows"
                  + " included: "
                  + inOrder());
        }
        return;
      }
      Map<?, ?> first = (Map<?, ?>) orders.getFirst();
      if ("DESCENDING".equals(first.get("type"))) {
        add(call + " orders rows newest first, so the rows before the current one are later ones");
      } else if (!inTaskWindow(first.get("expression")) && !ordersBy(first.get("expression"))) {
        add(
            call
                + " orders its window by something other than time, so rows from after the"
                + " current row's time fall in it: "
                + inOrder());
      }
      for (String bound : List.of("start", "end")) {
        if (String.valueOf(w.get(bound)).contains("FOLLOWING")) {
          add(call + "'s frame reaches FOLLOWING rows");
          break;
        }
      }
    }

    private boolean ordersBy(Object expression) {
      return order != null
          && expression instanceof Map<?, ?> e
          && "COLUMN_REF".equals(e.get("class"))
          && e.get("column_names") instanceof List<?> names
          && String.valueOf(names.getLast()).equalsIgnoreCase(order);
    }

    /** The value of a constant (a negative one may come as minus applied to it), else null. */
    private static Object constant(Map<?, ?> e) {
      if ("CONSTANT".equals(e.get("class")) && e.get("value") instanceof Map<?, ?> v) {
        return Boolean.TRUE.equals(v.get("is_null")) ? null : v.get("value");
      }
      if ("-".equals(e.get("function_name"))
          && e.get("children") instanceof List<?> args
          && args.size() == 1
          && args.getFirst() instanceof Map<?, ?> arg
          && constant(arg) instanceof Number n) {
        return -n.longValue();
      }
      return null;
    }

    private void add(String problem) {
      if (!problems.contains(problem)) {
        problems.add(problem);
      }
    }
  }
}
