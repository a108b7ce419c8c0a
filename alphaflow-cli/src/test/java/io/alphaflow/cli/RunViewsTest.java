package io.alphaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunViewsTest {
  @Test
  void outputsShowTheirValuesWithHashesDecimalsAndLongTextCut() {
    Map<String, String> outputs = new LinkedHashMap<>();
    outputs.put("rows", "1000000");
    outputs.put("r2", "0.719912345");
    outputs.put("model_hash", "6f11f85464eb0c3a9d1e2b7c4a5f6e8d9c0b1a2f3e4d5c6b7a8f9e0d1c2b3a4f");
    outputs.put("note", "x".repeat(60));

    assertThat(RunViews.outputsLine(outputs))
        .isEqualTo(
            "rows=1000000, r2=0.7199, model_hash=6f11f85464eb, note=" + "x".repeat(37) + "...");
  }

  @Test
  void aLongLineIsCutToOneHundredCharacters() {
    Map<String, String> outputs = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      outputs.put("output_" + i, "value");
    }
    String line = RunViews.outputsLine(outputs);
    assertThat(line).hasSize(100).startsWith("output_0=value, output_1=value").endsWith("...");
  }
}
