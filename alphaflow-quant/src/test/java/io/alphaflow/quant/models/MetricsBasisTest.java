package io.alphaflow.quant.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which stored figures of two models measure the same thing, by the basis their metrics record. */
class MetricsBasisTest {
  private static final Map<String, Object> LEVEL =
      Map.of(
          "r2", 0.1,
          "hit_rate", 0.5,
          "hit_rate_basis", Metrics.CHANGE_DIRECTION,
          "ic_basis", Metrics.CHANGES,
          "ic_mean", 0.1);

  /** A value label evaluated before ic_basis was recorded: its hit rate and IC were of levels. */
  private static final Map<String, Object> OLD_LEVEL =
      Map.of("r2", 0.1, "hit_rate", 0.93, "hit_rate_basis", "side of the mean actual");

  @Test
  void figuresOnTheSameBasisCompare() {
    for (String metric : new String[] {"hit_rate", "ic_mean", "rank_ic_tstat", "spread_mean"}) {
      assertThat(Metrics.basisMismatch(metric, LEVEL, LEVEL)).isNull();
    }
  }

  @Test
  void aMetricWithOneBasisAlwaysCompares() {
    assertThat(Metrics.basisMismatch("r2", LEVEL, OLD_LEVEL)).isNull();
    assertThat(Metrics.basisMismatch("roc_auc", LEVEL, Map.of())).isNull();
  }

  @Test
  void figuresOnAnotherBasisDoNotAndTheMessageNamesBoth() {
    assertThat(Metrics.basisMismatch("hit_rate", LEVEL, OLD_LEVEL))
        .isEqualTo(
            "hit_rate cannot be compared with the champion's: the candidate's is measured on the"
                + " direction of change from the current value, the champion's on the side of the"
                + " mean actual (hit_rate_basis)");
    // no ic_basis recorded: the IC was of the values
    assertThat(Metrics.basisMismatch("ic_mean", LEVEL, OLD_LEVEL))
        .isEqualTo(
            "ic_mean cannot be compared with the champion's: the candidate's is measured on the"
                + " change from the current value, the champion's on the value (ic_basis)");
    assertThat(Metrics.basisMismatch("spread_tstat", LEVEL, OLD_LEVEL)).contains("(ic_basis)");
    assertThat(Metrics.basisMismatch("hit_rate", LEVEL, Map.of()))
        .contains("the champion's on an unrecorded basis");
  }
}
