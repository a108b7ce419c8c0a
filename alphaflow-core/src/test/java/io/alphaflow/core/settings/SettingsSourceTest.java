package io.alphaflow.core.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.alphaflow.core.InvalidInputException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsSourceTest {
  @Test
  void seed004EnvironmentNamesAreRead() {
    Settings s =
        SettingsSource.fromEnvironment(
            Map.of(
                "MAX_CONCURRENT_TASKS", "10",
                "DEFAULT_TASK_TIMEOUT", "300",
                "WORKFLOW_TIMEOUT", "3600",
                "MAX_RETRIES", "3",
                "RETRY_BASE_DELAY", "1.0",
                "RETRY_MAX_DELAY", "60.0",
                "LOG_LEVEL", "debug",
                "PATH", "/usr/bin"));
    assertThat(s.maxConcurrentTasks()).isEqualTo(10);
    assertThat(s.workflowTimeout()).isEqualTo(Duration.ofHours(1));
    assertThat(s.taskDefaults().timeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.taskDefaults().retry().maxAttempts()).isEqualTo(4);
    assertThat(s.taskDefaults().retry().baseDelay()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.logLevel()).isEqualTo("DEBUG");
  }

  @Test
  void badValuesNameTheVariableAndTheValue() {
    assertThatThrownBy(() -> SettingsSource.fromEnvironment(Map.of("MAX_CONCURRENT_TASKS", "many")))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage(
            "environment variable MAX_CONCURRENT_TASKS='many': expected a whole number of at least 1");
    assertThatThrownBy(
            () -> SettingsSource.fromYaml("alphaflow.yaml", Map.of("workflow_timeout", "soon")))
        .hasMessageContaining("alphaflow.yaml: WORKFLOW_TIMEOUT='soon'");
  }

  @Test
  void upperLayersWin() {
    Settings file =
        SettingsSource.fromYaml(
            "alphaflow.yaml", Map.of("max_concurrent_tasks", 2, "workflow_timeout", "1h"));
    Settings env = SettingsSource.fromEnvironment(Map.of("MAX_CONCURRENT_TASKS", "4"));
    Settings merged = env.over(file);
    assertThat(merged.maxConcurrentTasks()).isEqualTo(4);
    assertThat(merged.workflowTimeout()).isEqualTo(Duration.ofHours(1));
  }
}
