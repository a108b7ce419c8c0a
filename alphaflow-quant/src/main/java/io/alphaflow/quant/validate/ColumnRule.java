package io.alphaflow.quant.validate;

import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Sql;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** One column of a data contract: type family, nullability, range, null-rate limit. */
record ColumnRule(
    String name, String type, boolean nullable, Double min, Double max, Double maxNullRate) {

  static final List<String> TYPES = List.of("timestamp", "date", "double", "int", "string", "bool");

  static ColumnRule parse(String name, Object spec) {
    if (!(spec instanceof Map<?, ?> m)) {
      return new ColumnRule(
          name, String.valueOf(spec).toLowerCase(Locale.ROOT), true, null, null, null);
    }
    Object type = m.get("type");
    return new ColumnRule(
        name,
        type == null ? null : String.valueOf(type).toLowerCase(Locale.ROOT),
        Configs.flag(m, "nullable", true),
        number(m.get("min"), name, "min"),
        number(m.get("max"), name, "max"),
        rate(m.get("max_null_rate"), name));
  }

  private static Double rate(Object v, String column) {
    Double d = number(v, column, "max_null_rate");
    if (d != null && !(d >= 0 && d <= 1)) {
      // as the flow's check words it, for a value a template handed over
      throw TaskFailure.nonRetryable(
          Configs.fractionMessage("columns." + column + ".max_null_rate", v));
    }
    return d;
  }

  private static Double number(Object v, String column, String key) {
    Double d = Configs.numberOrNull(v);
    if (v != null && d == null) {
      throw TaskFailure.nonRetryable(
          "contract for column '" + column + "': " + key + " must be a number, was '" + v + "'");
    }
    return d;
  }

  /** Whether a DuckDB column type belongs to this rule's type family. */
  boolean accepts(String duckType) {
    if (type == null) {
      return true;
    }
    String t = duckType.toUpperCase(Locale.ROOT);
    return switch (type) {
      case "timestamp" -> t.startsWith("TIMESTAMP");
      case "date" -> t.equals("DATE");
      case "double" -> Sql.isNumber(t);
      case "int" -> Sql.isInteger(t);
      case "string" -> t.equals("VARCHAR");
      case "bool" -> t.equals("BOOLEAN");
      default -> false;
    };
  }
}
