package io.alphaflow.core.retry;

import java.util.Locale;

/** How the delay grows between attempts. */
public enum Backoff {
  /** base, base*factor, base*factor^2, ... */
  EXPONENTIAL,
  /** base, 2*base, 3*base, ... */
  LINEAR,
  /** base every time. */
  FIXED;

  public static Backoff fromYaml(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
