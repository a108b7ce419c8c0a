package io.alphaflow.core.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelVersionTest {
  @TempDir Path dir;

  /** A version registered before manifests carried the label: its model.json says it. */
  @Test
  void whatAVersionPredictsComesFromItsDescriptionElseItsManifest() throws Exception {
    ModelVersion v =
        new ModelVersion(
            "m",
            "abc",
            dir.toString(),
            "{\"kind\": \"regression\", \"target\": \"y\"}",
            null,
            null,
            Instant.EPOCH);
    assertThat(v.predicts("model.json")).isEqualTo(Map.of("kind", "regression", "target", "y"));
    Files.writeString(
        dir.resolve("model.json"),
        "{\"kind\": \"regression\", \"target\": \"y\", \"label\": {\"kind\": \"value\"}}");
    assertThat(v.predicts("model.json")).containsEntry("label", Map.of("kind", "value"));
  }

  private static Map<String, Object> model(String kind, String target, Map<String, Object> label) {
    return label == null
        ? Map.of("kind", kind, "target", target)
        : Map.of("kind", kind, "target", target, "label", label);
  }

  private static Map<String, Object> label(String kind, int horizon) {
    return Map.of("kind", kind, "column", "close", "horizon", horizon);
  }

  @Test
  void modelsOfTheSameTargetAndLabelPredictAlike() {
    Map<String, Object> a = model("regression", "y", label("value", 1));
    assertThat(ModelVersion.predictsOtherwise(a, "a", a, "b")).isNull();
    // a manifest from before manifests carried the label: the target's name is all there is
    assertThat(ModelVersion.predictsOtherwise(a, "a", model("regression", "y", null), "b"))
        .isNull();
  }

  @Test
  void anotherKindTargetOrLabelIsSaidInWords() {
    Map<String, Object> a = model("regression", "y", label("value", 1));
    assertThat(
            ModelVersion.predictsOtherwise(
                a, "the candidate", model("classification", "y", null), "the champion"))
        .isEqualTo("the candidate is a regression model, the champion a classification");
    assertThat(ModelVersion.predictsOtherwise(a, "a", model("regression", "r", null), "b"))
        .isEqualTo("a predicts y, b r");
    assertThat(
            ModelVersion.predictsOtherwise(
                a, "a", model("regression", "y", label("forward_return", 5)), "b"))
        .isEqualTo(
            "a predicts y as a value of close 1 row ahead, b as a forward_return of close 5 rows"
                + " ahead");
  }
}
