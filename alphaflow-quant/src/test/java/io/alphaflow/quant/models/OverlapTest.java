package io.alphaflow.quant.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The t-statistic of a mean of periods whose labels overlap, and how many periods they do. */
class OverlapTest {
  @Test
  void labelsReachIntoAsManyFollowingPeriodsAsTheirHorizonSpans() {
    // daily bars, a 5-day forward return, a daily IC: each day's label shares 4 days with the next
    assertThat(Metrics.overlapLags(5, 1)).isEqualTo(4);
    // weekly IC of the same: the next week only
    assertThat(Metrics.overlapLags(5, 5)).isEqualTo(1);
    // the next bar's return never reaches another period's rows
    assertThat(Metrics.overlapLags(1, 1)).isZero();
    assertThat(Metrics.overlapLags(1, 390)).isZero();
    // two minutes ahead on minute bars: a day's last label reaches into the next day
    assertThat(Metrics.overlapLags(2, 390)).isEqualTo(1);
    assertThat(Metrics.overlapLags(5, 0)).isZero();
  }

  @Test
  void neweyWestAddsTheAutocovariancesWithBartlettWeights() {
    // mean 2.5, squares 5, lag-1 products 1.25: S = 5 + 2 * 0.5 * 1.25 = 6.25, over n (n - 1) = 12
    assertThat(Metrics.neweyWestTstat(List.of(1.0, 2.0, 3.0, 4.0), 1))
        .isCloseTo(2.5 / Math.sqrt(6.25 / 12), within(1e-12));
    // no lags: the plain t-statistic, mean / sample std * sqrt(n)
    double std = Math.sqrt(5.0 / 3);
    assertThat(Metrics.neweyWestTstat(List.of(1.0, 2.0, 3.0, 4.0), 0))
        .isCloseTo(2.5 / std * 2, within(1e-12));
    // more lags than the series has pairs: those it has
    assertThat(Metrics.neweyWestTstat(List.of(1.0, 3.0), 5)).isNotNull();
    assertThat(Metrics.neweyWestTstat(List.of(1.0), 1)).isNull();
    assertThat(Metrics.neweyWestTstat(List.of(2.0, 2.0, 2.0), 1)).isNull();
  }
}
