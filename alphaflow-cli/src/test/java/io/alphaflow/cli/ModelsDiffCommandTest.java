package io.alphaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelsDiffCommandTest {
  @Test
  void namesTheManifestFieldsThatDifferButNotTheVersionsIdentityOrMetrics() {
    Map<String, Object> a =
        Map.of(
            "version",
            "aaa",
            "parent_run",
            "r1",
            "metrics",
            Map.of("r2", 0.1),
            "features",
            List.of("x", "y"),
            "seed",
            42,
            "training_window",
            Map.of("from", "2024-01-02", "to", "2024-06-28"));
    Map<String, Object> b =
        Map.of(
            "version",
            "bbb",
            "parent_run",
            "r2",
            "metrics",
            Map.of("r2", 0.2),
            "features",
            List.of("y", "z"),
            "seed",
            42,
            "data_hash",
            "0123456789abcdef0123456789abcdef0123456789abcdef");

    Map<String, List<Object>> d = ModelsDiffCommand.differences(a, b);

    assertThat(d).containsOnlyKeys("features", "training_window", "data_hash");
    assertThat(d.get("data_hash")).isEqualTo(Arrays.asList(null, b.get("data_hash")));
    assertThat(ModelsDiffCommand.featureChange(d.get("features"))).isEqualTo("+z -x");
    assertThat(ModelsDiffCommand.shown(a.get("training_window")))
        .isEqualTo("2024-01-02 to 2024-06-28");
    assertThat(ModelsDiffCommand.shown(b.get("data_hash"))).isEqualTo("0123456789ab");
    assertThat(ModelsDiffCommand.shown(null)).isEqualTo("-");
    assertThat(ModelsDiffCommand.differences(a, a)).isEmpty();
  }
}
