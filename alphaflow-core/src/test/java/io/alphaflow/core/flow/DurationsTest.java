package io.alphaflow.core.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void parsesUnitsCompoundsAndBareSeconds() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
    assertThat(Durations.parse("300")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("1.5")).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void refusesProseWithTheValueInTheMessage() {
    assertThatThrownBy(() -> Durations.parse("5 minutes")).hasMessageContaining("'5 minutes'");
  }

  @Test
  void formatsShortly() {
    assertThat(Durations.format(Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(Durations.format(Duration.ofSeconds(190))).isEqualTo("3m10s");
  }
}
