package io.alphaflow.core.flow;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A problem a task type finds in its own {@code config:}; {@code path} is relative to the config
 * (e.g. {@code command} or {@code env.PATH}), empty for the config as a whole.
 */
public record ConfigProblem(String path, String message, String hint) {
  /**
   * The problem on one line, for a message without the flow file's positions: "path: message
   * (hint)".
   */
  public String inline() {
    return (path.isEmpty() ? "" : path + ": ") + message + (hint == null ? "" : " (" + hint + ")");
  }

  /**
   * A problem for each key of {@code map} not among {@code known}, hinting at the closest known
   * one: a misspelt key would otherwise leave a default in place without a word. Each is at {@code
   * at} followed by the key ({@code at} empty for a config's own keys) and says {@code said} and
   * the key ("split takes no 'tets_fraction'").
   */
  public static List<ConfigProblem> unknownKeys(
      String at, String said, Map<?, ?> map, Collection<String> known) {
    List<ConfigProblem> problems = new ArrayList<>();
    for (Object k : map.keySet()) {
      String key = String.valueOf(k);
      if (!known.contains(key)) {
        problems.add(
            new ConfigProblem(at + key, said + " '" + key + "'", DidYouMean.hint(key, known)));
      }
    }
    return problems;
  }
}
