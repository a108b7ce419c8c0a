package io.alphaflow.quant.features;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.RowOrder;
import io.alphaflow.quant.data.Sql;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the {@code features:} list of a task config into {@link Feature}s. Every window looks back
 * only (per symbol, in time order, ending at the current row), and a rolling value is NULL until
 * its window is full. A config mistake throws {@link IllegalArgumentException} with the item and
 * what to write instead.
 */
public final class FeatureCatalog {
  static final String BUY = "S_LI_INITIATIVEBUYRATE";
  static final String SELL = "S_LI_INITIATIVESELLRATE";
  static final String LARGE_BUY = "S_LI_LARGEBUYRATE";
  static final String LARGE_SELL = "S_LI_LARGESELLRATE";
  static final List<String> SEED000 =
      List.of(
          "buy_sell_ratio",
          "large_order_imbalance",
          BUY + "_5min_ma",
          SELL + "_5min_ma",
          "high_activity");
  private static final Pattern IDENT =
      Pattern.compile("\"([^\"]+)\"|\\b([A-Za-z_][A-Za-z0-9_]*)\\b");
  private static final Pattern LOOK_AHEAD = Pattern.compile("(?i)\\blead\\s*\\(|\\bfollowing\\b");

  private FeatureCatalog() {}

  private static final String NOT_A_LIST =
      "'features' must be a non-empty list, e.g. features: [{preset: seed000}, {fn: ma, column:"
          + " close, window: 5}]";

  /**
   * Everything wrong with a config's {@code features:} list, each entry's problem on its own (for
   * the checks when a flow loads, which report them all at once); empty when {@link #parse} takes
   * it.
   */
  public static List<String> problems(Object features) {
    if (Configs.resolvesLater(features) && !(features instanceof List<?>)) {
      return List.of(); // the whole list from a template: checked once it resolves
    }
    if (!(features instanceof List<?> items) || items.isEmpty()) {
      return List.of(NOT_A_LIST);
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (Configs.resolvesLater(items.get(i))) {
        continue; // an entry a template fills in is checked once it resolves
      }
      try {
        entry(items.get(i));
      } catch (IllegalArgumentException e) {
        out.add("features[" + i + "]: " + e.getMessage());
      }
    }
    if (out.isEmpty()) {
      try {
        parse(features); // what only the whole list shows: a name defined twice
      } catch (IllegalArgumentException e) {
        out.add(e.getMessage());
      }
    }
    return out;
  }

  /** One entry of the list: a named feature, or a mapping (a preset may give several). */
  private static List<Feature> entry(Object item) {
    if (item instanceof String name) {
      return List.of(named(name));
    }
    if (item instanceof Map<?, ?> m) {
      return fromMap(m);
    }
    throw new IllegalArgumentException("expected a name or a mapping, found '" + item + "'");
  }

  /** The features of a config's {@code features:} list, in order, presets expanded. */
  public static List<Feature> parse(Object features) {
    if (Configs.resolvesLater(features) && !(features instanceof List<?>)) {
      return List.of();
    }
    if (!(features instanceof List<?> items) || items.isEmpty()) {
      throw new IllegalArgumentException(NOT_A_LIST);
    }
    List<Feature> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (Configs.resolvesLater(items.get(i))) {
        continue; // known once its template resolves, when the task runs
      }
      try {
        out.addAll(entry(items.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("features[" + i + "]: " + e.getMessage());
      }
    }
    Set<String> names = new LinkedHashSet<>();
    for (Feature f : out) {
      if (!names.add(f.name())) {
        throw new IllegalArgumentException("feature '" + f.name() + "' is defined twice");
      }
    }
    return out;
  }

  private static Feature named(String name) {
    return switch (name) {
      case "buy_sell_ratio" ->
          new Feature(
              name,
              "seed000",
              col(BUY) + " / (" + col(SELL) + " + 1e-8)",
              Map.of(BUY, at(0), SELL, at(0)));
      case "large_order_imbalance" ->
          new Feature(
              name,
              "seed000",
              col(LARGE_BUY) + " - " + col(LARGE_SELL),
              Map.of(LARGE_BUY, at(0), LARGE_SELL, at(0)));
      case BUY + "_5min_ma" -> ma(name, BUY, 5);
      case SELL + "_5min_ma" -> ma(name, SELL, 5);
      case "high_activity" ->
          new Feature(
              name,
              "seed000",
              "CAST(" + col(BUY) + " + " + col(SELL) + " > 0.7 AS INTEGER)",
              Map.of(BUY, at(0), SELL, at(0)));
      default ->
          throw new IllegalArgumentException(
              "unknown feature '"
                  + name
                  + "' (named features: "
                  + String.join(", ", SEED000)
                  + "; or use {fn: ...} or {name: ..., sql: ...})");
    };
  }

  private static List<Feature> fromMap(Map<?, ?> m) {
    if (m.get("preset") != null) {
      onlyKeys(
          m,
          "seed001".equals(String.valueOf(m.get("preset")))
              ? List.of("preset", "column", "lags")
              : List.of("preset"));
      return preset(String.valueOf(m.get("preset")), m);
    }
    if (m.get("sql") != null) {
      onlyKeys(m, List.of("name", "sql"));
      return List.of(sql(m));
    }
    Object fn = m.get("fn");
    if (fn == null) {
      throw new IllegalArgumentException("a feature mapping needs 'fn', 'sql' or 'preset'");
    }
    String how = String.valueOf(fn).toLowerCase(Locale.ROOT);
    onlyKeys(
        m,
        List.of(
            "fn",
            "column",
            "name",
            switch (how) {
              case "return", "log_return" -> "periods";
              case "lags" -> "lags";
              default -> "window";
            }));
    String column = required(m, "column");
    String name = m.get("name") == null ? null : String.valueOf(m.get("name"));
    return switch (how) {
      case "ma" -> List.of(ma(orElse(name, column + "_ma_" + window(m)), column, window(m)));
      case "volatility" ->
          List.of(volatility(orElse(name, column + "_vol_" + window(m)), column, window(m)));
      case "zscore" -> List.of(zscore(orElse(name, column + "_z_" + window(m)), column, window(m)));
      case "rsi" -> List.of(rsi(orElse(name, column + "_rsi_" + window(m)), column, window(m)));
      case "return" ->
          List.of(ret(orElse(name, column + "_ret_" + periods(m)), column, periods(m), false));
      case "log_return" ->
          List.of(ret(orElse(name, column + "_logret_" + periods(m)), column, periods(m), true));
      case "lags" -> lags(orElse(name, column + "_lag"), column, positive(m, "lags", 1));
      default ->
          throw new IllegalArgumentException(
              "unknown fn '"
                  + fn
                  + "' (use ma, volatility, zscore, rsi, return, log_return or lags)");
    };
  }

  private static List<Feature> preset(String preset, Map<?, ?> m) {
    return switch (preset) {
      case "seed000" -> SEED000.stream().map(FeatureCatalog::named).toList();
      case "seed001" -> {
        String c = required(m, "column");
        List<Feature> out =
            new ArrayList<>(
                List.of(
                    ma(c + "_ma_5", c, 5),
                    ma(c + "_ma_10", c, 10),
                    ma(c + "_ma_20", c, 20),
                    volatility(c + "_vol_20", c, 20)));
        out.addAll(lags(c + "_lag", c, positive(m, "lags", 3)));
        out.add(ret(c + "_ret_1", c, 1, false));
        out.add(ret(c + "_logret_1", c, 1, true));
        yield out;
      }
      default ->
          throw new IllegalArgumentException(
              "unknown preset '" + preset + "' (use seed000 or seed001)");
    };
  }

  static Feature ma(String name, String column, int n) {
    return new Feature(
        name,
        "ma",
        full(column, n, "avg(" + col(column) + ") OVER w" + n),
        Map.of(column, range(-(n - 1), 0)));
  }

  static Feature volatility(String name, String column, int n) {
    // sample stddev of the last n one-period returns, which reach one row further back
    String r = "__ret1_" + column;
    return new Feature(
        name,
        "volatility",
        "CASE WHEN count("
            + r
            + ") OVER w"
            + n
            + " = "
            + n
            + " THEN stddev_samp("
            + r
            + ") OVER w"
            + n
            + " END",
        Map.of(column, range(-n, 0)));
  }

  static Feature zscore(String name, String column, int n) {
    String c = col(column);
    return new Feature(
        name,
        "zscore",
        full(
            column,
            n,
            "("
                + c
                + " - avg("
                + c
                + ") OVER w"
                + n
                + ") / nullif(stddev_samp("
                + c
                + ") OVER w"
                + n
                + ", 0)"),
        Map.of(column, range(-(n - 1), 0)));
  }

  /**
   * Cutler's RSI: 100 - 100 / (1 + mean gain / mean loss) over the last {@code n} one-period
   * changes, NULL until there are {@code n}. Wilder's smooths the means exponentially from the
   * series' start instead, so a value would depend on every earlier row.
   */
  static Feature rsi(String name, String column, int n) {
    String d = "__diff1_" + column;
    String gain = "avg(greatest(" + d + ", 0)) OVER w" + n;
    String loss = "avg(greatest(-" + d + ", 0)) OVER w" + n;
    return new Feature(
        name,
        "rsi",
        "CASE WHEN count("
            + d
            + ") OVER w"
            + n
            + " = "
            + n
            + " THEN CASE WHEN "
            + loss
            + " = 0 THEN 100.0 ELSE 100.0 - 100.0 / (1 + "
            + gain
            + " / "
            + loss
            + ") END END",
        Map.of(column, range(-n, 0)));
  }

  static Feature ret(String name, String column, int p, boolean log) {
    String sql = log ? "ln(" + ratio(column, p) + ")" : ratio(column, p) + " - 1";
    return new Feature(name, log ? "log_return" : "return", sql, Map.of(column, range(-p, 0)));
  }

  static List<Feature> lags(String prefix, String column, int k) {
    List<Feature> out = new ArrayList<>();
    for (int i = 1; i <= k; i++) {
      out.add(
          new Feature(
              prefix + "_" + i,
              "lag",
              "lag(" + col(column) + ", " + i + ") OVER w",
              Map.of(column, range(-i, -i))));
    }
    return out;
  }

  static Feature sql(Map<?, ?> m) {
    String name = required(m, "name");
    String expr = String.valueOf(m.get("sql"));
    if (LOOK_AHEAD.matcher(expr).find()) {
      throw new IllegalArgumentException(
          "feature '"
              + name
              + "' looks ahead (lead() or FOLLOWING) in: "
              + expr
              + "; a feature may only read the current and earlier rows");
    }
    Map<String, int[]> reads = new LinkedHashMap<>();
    Matcher t = IDENT.matcher(expr.replaceAll("'[^']*'", "''"));
    while (t.find()) {
      String id = t.group(1) != null ? t.group(1) : t.group(2);
      if (!SQL_WORDS.contains(id.toLowerCase(Locale.ROOT))) {
        reads.put(id, offsets(expr));
      }
    }
    return new Feature(name, "sql", "(" + expr + ")", reads);
  }

  /**
   * A user's SQL feature reading {@code columns} (as DuckDB's parse names them: {@link
   * SqlFeatureCheck}) instead of the words {@link #sql} took for columns, with the same offsets.
   */
  static Feature reading(Feature f, java.util.Collection<String> columns) {
    Map<String, int[]> reads = new LinkedHashMap<>();
    for (String c : columns) {
      reads.put(c, offsets(f.sql()));
    }
    return new Feature(f.name(), f.kind(), f.sql(), reads);
  }

  /**
   * The rows a user's SQL reads a column at: through a window, the current one and any earlier;
   * else the current one.
   */
  private static int[] offsets(String expr) {
    return lagged(expr) ? range(Feature.ANY_EARLIER, 0) : at(0);
  }

  private static boolean lagged(String expr) {
    return expr.toLowerCase(Locale.ROOT).contains("over");
  }

  private static final Set<String> SQL_WORDS =
      Set.of(
          "case",
          "when",
          "then",
          "else",
          "end",
          "and",
          "or",
          "not",
          "null",
          "is",
          "as",
          "cast",
          "double",
          "integer",
          "bigint",
          "varchar",
          "true",
          "false",
          "abs",
          "ln",
          "log",
          "exp",
          "sqrt",
          "greatest",
          "least",
          "coalesce",
          "nullif",
          "over",
          "lag",
          "avg",
          "sum",
          "min",
          "max",
          "count",
          "stddev_samp",
          "w",
          "in",
          "between",
          "like",
          "power",
          "round",
          "sign",
          "date_part",
          "hour",
          "minute",
          "epoch");

  /**
   * The feature as lag() OVER () arithmetic for input already in {@code order} (see {@link
   * RowOrder}), or empty when it has no such form (rolling deviations, RSI, user SQL with a
   * window): then the task sorts instead. Equal to {@link Feature#sql()} row for row;
   * StreamingOrderIT compares the two on every kind that has one.
   */
  static Optional<String> streaming(Feature f, RowOrder order) {
    if (!List.of("ma", "lag", "return", "log_return").contains(f.kind())) {
      return lagged(f.sql()) ? Optional.empty() : Optional.of(f.sql());
    }
    var read = f.reads().entrySet().iterator().next();
    String c = col(read.getKey());
    int from = read.getValue()[0];
    String value =
        switch (f.kind()) {
          case "ma" -> {
            List<String> terms = new ArrayList<>();
            for (int k = 0; k >= from; k--) {
              terms.add(RowOrder.shift(c, k));
            }
            // NULL when any term is, as count() = n over the window asks
            yield "(" + String.join(" + ", terms) + ") / " + (1 - from);
          }
          case "lag" -> RowOrder.shift(c, from);
          default -> {
            String ratio = c + " / nullif(" + RowOrder.shift(c, from) + ", 0)";
            yield f.kind().equals("log_return") ? "ln(" + ratio + ")" : ratio + " - 1";
          }
        };
    return Optional.of(order.sameSymbol(from, value));
  }

  /** The window clause for every window size used, per symbol in time order. */
  static String windows(List<Feature> features, String partition, String order) {
    Set<Integer> sizes = new java.util.TreeSet<>();
    Pattern w = Pattern.compile("OVER w(\\d+)");
    for (Feature f : features) {
      Matcher m = w.matcher(f.sql());
      while (m.find()) {
        sizes.add(Integer.parseInt(m.group(1)));
      }
    }
    StringBuilder sb = new StringBuilder(" WINDOW w AS (" + partition + "ORDER BY " + order + ")");
    for (int n : sizes) {
      sb.append(", w")
          .append(n)
          .append(" AS (")
          .append(partition)
          .append("ORDER BY ")
          .append(order)
          .append(" ROWS BETWEEN ")
          .append(n - 1)
          .append(" PRECEDING AND CURRENT ROW)");
    }
    return sb.toString();
  }

  /** Helper columns some features need (one-period returns, differences), computed first. */
  static List<String> helpers(List<Feature> features) {
    Set<String> out = new LinkedHashSet<>();
    Pattern h = Pattern.compile("__(ret1|diff1)_([A-Za-z0-9_]+)");
    for (Feature f : features) {
      Matcher m = h.matcher(f.sql());
      while (m.find()) {
        String c = col(m.group(2));
        out.add(
            m.group(1).equals("ret1")
                ? c + " / nullif(lag(" + c + ") OVER w, 0) - 1 AS __ret1_" + m.group(2)
                : c + " - lag(" + c + ") OVER w AS __diff1_" + m.group(2));
      }
    }
    return new ArrayList<>(out);
  }

  private static String full(String column, int n, String value) {
    return "CASE WHEN count("
        + col(column)
        + ") OVER w"
        + n
        + " = "
        + n
        + " THEN "
        + value
        + " END";
  }

  private static String ratio(String column, int p) {
    return col(column) + " / nullif(lag(" + col(column) + ", " + p + ") OVER w, 0)";
  }

  static String col(String name) {
    return Sql.ident(name);
  }

  private static int[] at(int offset) {
    return new int[] {offset, offset};
  }

  private static int[] range(int from, int to) {
    return new int[] {from, to};
  }

  private static String required(Map<?, ?> m, String key) {
    Object v = m.get(key);
    if (v == null || String.valueOf(v).isBlank()) {
      throw new IllegalArgumentException("missing '" + key + "'");
    }
    return String.valueOf(v);
  }

  private static int window(Map<?, ?> m) {
    return positive(m, "window", 0);
  }

  private static int periods(Map<?, ?> m) {
    return positive(m, "periods", 1);
  }

  private static int positive(Map<?, ?> m, String key, int fallback) {
    Object v = m.get(key);
    if (v == null && fallback > 0) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(String.valueOf(v));
      if (n >= 1) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException(
        "'" + key + "' must be a whole number of rows, at least 1, was '" + v + "'");
  }

  /**
   * Fails on a key of the feature mapping {@code m} outside {@code known}, naming the closest: a
   * misspelt {@code lag: 3} would otherwise leave the default number of lags in place.
   */
  private static void onlyKeys(Map<?, ?> m, List<String> known) {
    List<ConfigProblem> unknown = ConfigProblem.unknownKeys("", "this feature takes no", m, known);
    if (!unknown.isEmpty()) {
      ConfigProblem first = unknown.getFirst();
      throw new IllegalArgumentException(first.message() + " (" + first.hint() + ")");
    }
  }

  private static String orElse(String a, String b) {
    return a != null ? a : b;
  }
}
