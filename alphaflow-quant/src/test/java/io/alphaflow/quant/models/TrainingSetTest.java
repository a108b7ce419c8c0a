package io.alphaflow.quant.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TrainingSetTest {
  private static final long GIB = 1L << 30;

  /**
   * Rows a JVM-fitted model cannot hold fail up front with what to do, rather than with an
   * OutOfMemoryError halfway through loading them.
   */
  @Test
  void rowsTooManyForTheHeapAreRefusedWithWhatToDo() {
    assertThat(TrainingSet.tooBig(8_000_000, 5, 6 * GIB)).isNull();
    assertThat(TrainingSet.tooBig(80_000_000, 5, 6 * GIB))
        .contains("80,000,000 rows of 5 features", "5.8 GB of heap", "at most 6.4 GB")
        .contains("rolling walk_forward window", "JAVA_TOOL_OPTIONS=-Xmx10g")
        .contains("linear_regression needs no heap for rows");
    assertThat(TrainingSet.tooBig(3_000_000_000L, 1, 1000 * GIB))
        .as("past an array's length, whatever the heap")
        .isNotNull();
  }
}
