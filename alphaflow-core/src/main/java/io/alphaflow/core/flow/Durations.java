package io.alphaflow.core.flow;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints the durations flow files use: {@code 500ms}, {@code 30s}, {@code 1h30m}, 90.
 */
public final class Durations {
  public static final String HINT =
      "write a duration like 500ms, 30s, 5m, 2h, 1d or 1h30m, or a whole number of seconds";

  private static final Pattern WHOLE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?(?:ms|s|m|h|d))+");
  private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h|d)");

  private Durations() {}

  /** Parses {@code text}; throws {@link IllegalArgumentException} naming the bad value. */
  public static Duration parse(String text) {
    String t = text.trim();
    if (t.matches("[0-9]+(\\.[0-9]+)?")) {
      return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
    }
    if (!WHOLE.matcher(t).matches()) {
      throw new IllegalArgumentException("bad duration '" + text + "': " + HINT);
    }
    Matcher m = PART.matcher(t);
    double millis = 0;
    while (m.find()) {
      double n = Double.parseDouble(m.group(1));
      millis +=
          switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1_000;
            case "m" -> n * 60_000;
            case "h" -> n * 3_600_000;
            default -> n * 86_400_000;
          };
    }
    return Duration.ofMillis(Math.round(millis));
  }

  /** Short human form: 250ms, 1.5s, 3m10s, 2h5m. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms < 60_000) {
      return ms % 1000 == 0 ? (ms / 1000) + "s" : String.format("%.1fs", ms / 1000.0);
    }
    long s = ms / 1000;
    if (s < 3600) {
      return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
    }
    return (s / 3600) + "h" + ((s % 3600) / 60 == 0 ? "" : ((s % 3600) / 60) + "m");
  }
}
