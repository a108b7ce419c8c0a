package io.alphaflow.quant;

import static org.assertj.core.api.Assertions.assertThat;

import io.alphaflow.core.artifact.Checkpoints;
import io.alphaflow.core.artifact.ContentHash;
import io.alphaflow.quant.features.FeaturesTask;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What identifies a quant task's input in its cache key. */
class QuantTaskTest {
  @TempDir Path dir;

  private static Object identity(Path input) throws Exception {
    Object id = new FeaturesTask().cacheIdentity(Map.of("input", input.toString()));
    return ((Map<?, ?>) id).get("input_content");
  }

  /**
   * A completed task output counts by the hash its checkpoint records, as the engine trusts it when
   * it reuses a result: a cached run reads none of its files again (so a file changed behind the
   * checkpoint's back is not seen, as it is not by the engine). A directory without one, a user's,
   * counts by its files' content.
   */
  @Test
  void aCompletedOutputCountsByItsCheckpointAndAnyOtherDirectoryByItsFiles() throws Exception {
    Path output = Files.createDirectories(dir.resolve("outputs/run/validate"));
    Path users = Files.createDirectories(dir.resolve("mine"));
    for (Path d : new Path[] {output, users}) {
      Files.writeString(d.resolve("data.parquet"), "rows, version 1");
    }
    Checkpoints.markComplete(output, ContentHash.of(output));
    String checkpoint = Checkpoints.hash(output).orElseThrow();

    Object outputBefore = identity(output);
    Object usersBefore = identity(users);
    for (Path d : new Path[] {output, users}) {
      Files.writeString(d.resolve("data.parquet"), "rows, version 2");
    }

    assertThat(checkpoint).hasSize(64);
    assertThat(outputBefore.toString()).contains(checkpoint);
    assertThat(identity(output)).isEqualTo(outputBefore);
    assertThat(identity(users)).isNotEqualTo(usersBefore);
  }
}
