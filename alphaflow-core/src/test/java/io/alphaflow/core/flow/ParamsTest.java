package io.alphaflow.core.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.testkit.TestFlows;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsTest {
  private final Flow flow =
      TestFlows.parse(
          """
          name: f
          params:
            n: {type: int, default: 3}
            date: {type: date}
            ratio: {type: float, default: 0.5}
          tasks: [{id: a, type: noop}]
          """);

  @Test
  void defaultsFillInAndValuesAreNormalized() {
    assertThat(Params.resolve(flow, Map.of("date", "2024-03-01", "n", " 7 ")))
        .containsExactly(
            Map.entry("n", "7"), Map.entry("date", "2024-03-01"), Map.entry("ratio", "0.5"));
  }

  @Test
  void unknownMissingAndMistypedParamsAreAllReported() {
    assertThatThrownBy(() -> Params.resolve(flow, Map.of("n", "three", "dte", "x")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("unknown param 'dte'")
        .hasMessageContaining("missing param 'date'")
        .hasMessageContaining("param 'n' = 'three' is not a int");
  }
}
