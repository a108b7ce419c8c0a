package io.alphaflow.quant.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@link Dataset#parts} cuts a file's rows: consecutive, all of them, at most 64 parts. */
class DatasetPartsTest {
  @TempDir Path dir;

  @Test
  void partsHoldTheRowsAskedForUpToSixtyFourParts() {
    Path file = dir.resolve("data.parquet");
    List<Dataset.RowRange> tenMillion = Dataset.parts(file, 10_000_000, Dataset.PART_ROWS);
    assertThat(tenMillion).hasSize(39);
    assertThat(tenMillion.getFirst()).isEqualTo(new Dataset.RowRange(0, 262_144));
    assertCovers(tenMillion, 10_000_000);

    long full = Dataset.MAX_PARTS * Dataset.PART_ROWS;
    assertThat(Dataset.parts(file, full, Dataset.PART_ROWS)).hasSize(64);
    assertThat(Dataset.parts(file, full + 1, Dataset.PART_ROWS))
        .hasSize(33)
        .allSatisfy(r -> assertThat(r.to() - r.from()).isLessThanOrEqualTo(2 * Dataset.PART_ROWS));
  }

  @Test
  void aLargeFileHasLargerPartsNotMoreOfThem() {
    List<Dataset.RowRange> parts =
        Dataset.parts(dir.resolve("data.parquet"), 100_000_000, Dataset.PART_ROWS);
    assertThat(parts).hasSize(48);
    assertThat(parts.getFirst()).isEqualTo(new Dataset.RowRange(0, 2_097_152));
    assertCovers(parts, 100_000_000);
  }

  @Test
  void fewRowsOrACsvFileAreOneScan() {
    assertThat(Dataset.parts(dir.resolve("data.parquet"), 1000, Dataset.PART_ROWS)).isEmpty();
    assertThat(Dataset.parts(dir.resolve("data.csv"), 10_000_000, Dataset.PART_ROWS)).isEmpty();
  }

  private static void assertCovers(List<Dataset.RowRange> parts, long rows) {
    long next = 0;
    for (Dataset.RowRange r : parts) {
      assertThat(r.from()).isEqualTo(next);
      assertThat(r.to()).isGreaterThan(r.from());
      next = r.to();
    }
    assertThat(next).isEqualTo(rows);
  }
}
