package io.alphaflow.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.alphaflow.core.flow.InvalidFlowException;
import io.alphaflow.core.testkit.TestFlows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Any setting of a quant task may come from a run param ({@code window: ${params.w}}), for a sweep
 * or a backfill: the flow loads, and the value is checked once it resolves (the engine asks the
 * type again before the task runs), as one written in the flow is checked when it loads.
 */
class SettingsFromParamsTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** A ${...} reference inside a {@code sh -c} script is refused on purpose: it would be code. */
  private static final List<String> REFUSED_ON_PURPOSE =
      List.of("hello.yaml transform [command, 2]", "msft_returns.yaml extract [command, 2]");

  @Test
  void everySettingOfTheExampleFlowsCanComeFromAParam() throws Exception {
    List<String> refused = new ArrayList<>();
    int tried = 0;
    try (var files = Files.list(Path.of("..", "examples"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        if (f.getFileName().toString().contains("leakage")) {
          continue; // refused whatever its settings: it is seed 000's leak
        }
        List<?> tasks = (List<?>) read(f).get("tasks");
        for (int i = 0; i < tasks.size(); i++) {
          Object config = ((Map<?, ?>) tasks.get(i)).get("config");
          for (List<Object> at : settings(config, new ArrayList<>())) {
            tried++;
            Map<String, Object> flow = read(f);
            set(flow, i, at);
            try {
              TestFlows.parse(YAML.writeValueAsString(flow));
            } catch (InvalidFlowException e) {
              refused.add(f.getFileName() + " " + ((Map<?, ?>) tasks.get(i)).get("id") + " " + at);
            }
          }
        }
      }
    }
    assertThat(tried).isGreaterThan(150);
    assertThat(refused).containsExactlyInAnyOrderElementsOf(REFUSED_ON_PURPOSE);
  }

  /** A value written in the flow is still checked when it loads. */
  @Test
  void aBadValueWrittenInTheFlowIsStillRefusedWhenItLoads() {
    assertThatThrownBy(
            () ->
                TestFlows.parse(
                    """
                    name: f
                    tasks:
                      - {id: gen, type: synthetic_orderflow, config: {rows: 0, seed: abc, memory_limit: 10kb, threads: two}}
                      - id: train
                        type: train
                        depends_on: [gen]
                        config:
                          input: ${tasks.gen.output_dir}
                          model: {type: ridge, lambda: "${params.l}", alpha: 1}
                          split: {method: walk_forward, folds: 2.5, embargo: -1, refit: yes please}
                    params: {l: {type: string, default: "1"}}
                    """))
        .hasMessageContaining("rows must be a whole number 1 or more, was 0")
        .hasMessageContaining("'seed' must be a whole number, was 'abc'")
        .hasMessageContaining("memory_limit 10kb is too small")
        .hasMessageContaining("threads must be a whole number from 1 to 1024, was two")
        .hasMessageContaining("ridge takes no 'alpha'")
        .hasMessageContaining("folds must be a whole number 1 or more, was 2.5")
        .hasMessageContaining("embargo must be a whole number 0 or more, was -1")
        .hasMessageContaining("refit is true or false, was 'yes please'");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> read(Path f) throws Exception {
    return YAML.readValue(f.toFile(), LinkedHashMap.class);
  }

  /** Task {@code i}'s setting at {@code at} as {@code ${params.probe}}, a param the flow gains. */
  @SuppressWarnings("unchecked")
  private static void set(Map<String, Object> flow, int i, List<Object> at) {
    Object node = ((Map<?, ?>) ((List<?>) flow.get("tasks")).get(i)).get("config");
    for (Object key : at.subList(0, at.size() - 1)) {
      node = node instanceof Map<?, ?> m ? m.get(key) : ((List<?>) node).get((Integer) key);
    }
    Object last = at.getLast();
    if (node instanceof Map<?, ?> m) {
      ((Map<Object, Object>) m).put(last, "${params.probe}");
    } else {
      ((List<Object>) node).set((Integer) last, "${params.probe}");
    }
    ((Map<String, Object>) flow.computeIfAbsent("params", k -> new LinkedHashMap<>()))
        .put("probe", Map.of("type", "string", "default", "x"));
  }

  /** The path to every value of {@code node} written in the flow (not a reference already). */
  private static List<List<Object>> settings(Object node, List<Object> at) {
    List<List<Object>> out = new ArrayList<>();
    if (node instanceof Map<?, ?> m) {
      m.forEach((k, v) -> out.addAll(settings(v, with(at, k))));
    } else if (node instanceof List<?> l) {
      for (int i = 0; i < l.size(); i++) {
        out.addAll(settings(l.get(i), with(at, i)));
      }
    } else if (node != null && !String.valueOf(node).contains("${")) {
      out.add(at);
    }
    return out;
  }

  private static List<Object> with(List<Object> at, Object key) {
    List<Object> out = new ArrayList<>(at);
    out.add(key);
    return out;
  }
}
