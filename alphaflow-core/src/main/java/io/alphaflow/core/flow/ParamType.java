package io.alphaflow.core.flow;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** The type of a flow param; values arrive as text from the command line and are checked here. */
public enum ParamType {
  STRING,
  INT,
  FLOAT,
  BOOL,
  DATE;

  public String yamlName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static ParamType fromYaml(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  /**
   * Returns the canonical text of {@code value}, or throws {@link IllegalArgumentException} saying
   * what a valid value looks like.
   */
  public String normalize(String value) {
    try {
      return switch (this) {
        case STRING -> value;
        case INT -> Long.toString(Long.parseLong(value.trim()));
        case FLOAT -> {
          double d = Double.parseDouble(value.trim());
          if (!Double.isFinite(d)) {
            throw new NumberFormatException();
          }
          yield Double.toString(d);
        }
        case BOOL -> {
          String v = value.trim().toLowerCase(Locale.ROOT);
          if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException("expected true or false");
          }
          yield v;
        }
        case DATE -> LocalDate.parse(value.trim()).toString();
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("expected " + example());
    }
  }

  private String example() {
    return switch (this) {
      case STRING -> "text";
      case INT -> "a whole number such as 3";
      case FLOAT -> "a finite number such as 0.25";
      case BOOL -> "true or false";
      case DATE -> "a date such as 2024-03-01";
    };
  }
}
