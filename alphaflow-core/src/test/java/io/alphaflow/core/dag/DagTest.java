package io.alphaflow.core.dag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DagTest {
  private static Map<String, List<String>> deps(String... pairs) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (String p : pairs) {
      String[] parts = p.split(":", -1);
      m.put(parts[0], parts[1].isEmpty() ? List.of() : List.of(parts[1].split(",")));
    }
    return m;
  }

  @Test
  void layersGroupTasksByDepth() {
    Dag dag = Dag.of(deps("a:", "b:a", "c:a", "d:b,c", "e:"));
    assertThat(dag.layers()).containsExactly(List.of("a", "e"), List.of("b", "c"), List.of("d"));
    assertThat(dag.ancestorsOf("d")).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(dag.downstreamOf("a")).containsExactly("b", "c");
  }

  @Test
  void topologicalOrderKeepsDeclarationOrderForTies() {
    assertThat(Dag.of(deps("x:", "y:", "z:x")).topologicalOrder()).containsExactly("x", "y", "z");
  }

  @Test
  void cycleIsFoundAsAClosedPath() {
    assertThat(Dag.findCycle(deps("a:c", "b:a", "c:b", "d:")))
        .contains(List.of("a", "b", "c", "a"));
    assertThat(Dag.findCycle(deps("a:", "b:a"))).isEmpty();
    assertThatThrownBy(() -> Dag.of(deps("a:b", "b:a"))).hasMessageContaining("cycle");
  }

  @Test
  void deepChainDoesNotOverflowTheStack() {
    Map<String, List<String>> chain = new LinkedHashMap<>();
    chain.put("t0", List.of());
    for (int i = 1; i < 20_000; i++) {
      chain.put("t" + i, List.of("t" + (i - 1)));
    }
    assertThat(Dag.findCycle(chain)).isEmpty();
    assertThat(Dag.of(chain).layers()).hasSize(20_000);
  }
}
