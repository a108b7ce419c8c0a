package io.alphaflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.NotFoundException;
import io.alphaflow.core.execution.Engine;
import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.flow.FlowLoader;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.settings.Settings;
import io.alphaflow.core.settings.SettingsSource;
import io.alphaflow.core.store.Store;
import io.alphaflow.core.task.TaskRegistry;
import io.alphaflow.store.sqlite.SqliteStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Wires a command to its state directory: the store, the task types, the settings layers and an
 * engine. Opened per command, closed when it ends.
 */
final class Workspace implements AutoCloseable {
  private final CommonOptions options;
  private final TaskRegistry tasks = TaskRegistry.loadDefault();
  private Store store;
  private Engine engine;

  Workspace(CommonOptions options) {
    this.options = options;
  }

  Path home() {
    return options.home;
  }

  /** The task types a flow is checked with. */
  TaskRegistry tasks() {
    return tasks;
  }

  FlowLoader loader() {
    return new FlowLoader(tasks);
  }

  Flow loadFlow(Path file) {
    return loader().load(file);
  }

  Store store() {
    if (store == null) {
      store = SqliteStore.open(options.home.resolve("state.db"));
    }
    return store;
  }

  /** The run {@code runId}, or a not-found error that points at {@code alphaflow runs}. */
  RunRecord run(String runId) {
    return store().findRun(runId).orElseThrow(() -> NotFoundException.run(runId));
  }

  /** The run {@code runId}, or the newest run when it is null. */
  RunRecord runOrNewest(String runId) {
    if (runId != null) {
      return run(runId);
    }
    return store().recentRuns(1).stream()
        .findFirst()
        .orElseThrow(() -> new NotFoundException(noRunsYet()));
  }

  /** What to say when the store holds no run. */
  String noRunsYet() {
    return "no runs yet in " + home() + ": try alphaflow run examples/hello.yaml";
  }

  /** Settings from alphaflow.yaml, then the environment, then {@code flags} on top. */
  Settings settings(Settings flags) {
    return flags.over(SettingsSource.fromEnvironment(System.getenv())).over(fileSettings());
  }

  Engine engine(Settings flags) {
    if (engine == null) {
      engine =
          Engine.builder(store()).tasks(tasks).home(options.home).settings(settings(flags)).build();
      engine.events().subscribe(new EngineEventLog(options.home));
    }
    return engine;
  }

  private Settings fileSettings() {
    Path file = options.config != null ? options.config : Path.of("alphaflow.yaml");
    if (!Files.exists(file)) {
      if (options.config != null) {
        throw new InvalidInputException("no settings file at " + file + ": check --settings");
      }
      return Settings.EMPTY;
    }
    try {
      Map<?, ?> values = new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), Map.class);
      @SuppressWarnings("unchecked")
      Map<String, ?> typed = values == null ? Map.of() : (Map<String, ?>) values;
      return SettingsSource.fromYaml(file.toString(), typed);
    } catch (IOException e) {
      throw new InvalidInputException(
          file
              + ": not a YAML mapping of settings ("
              + e.getMessage().lines().findFirst().orElse("")
              + ")");
    }
  }

  @Override
  public void close() {
    if (engine != null) {
      engine.close();
    }
    if (store != null) {
      store.close();
    }
  }
}
