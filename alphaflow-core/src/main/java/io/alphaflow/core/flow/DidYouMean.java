package io.alphaflow.core.flow;

import java.util.Collection;
import java.util.Locale;

/** Suggests the closest known name for a misspelled one (a config key, a metric, a type). */
public final class DidYouMean {
  private DidYouMean() {}

  /** The closest candidate within a small edit distance, or null. */
  public static String closest(String typo, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(typo.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(2, typo.length() / 3) ? best : null;
  }

  /** "did you mean 'x'? (known: ...)", or just the known names when none is close. */
  public static String hint(String typo, Collection<String> candidates) {
    String c = closest(typo, candidates);
    String known = "known: " + String.join(", ", candidates);
    return c == null ? known : "did you mean '" + c + "'? (" + known + ")";
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
