package io.alphaflow.quant.models;

import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.model.ModelRegistry;
import io.alphaflow.core.task.CodeVersion;
import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Json;
import io.alphaflow.quant.data.Sql;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBConnection;

/** Reads what train and register wrote: the model bytes and their JSON descriptions. */
final class ModelFiles {
  /** Only our model classes, Smile's and the JDK's may be read back from a model file. */
  private static final ObjectInputFilter ONLY_MODELS =
      ObjectInputFilter.Config.createFilter("maxdepth=200;io.alphaflow.**;smile.**;java.**;!*");

  private ModelFiles() {}

  /**
   * The code version of a task type that fits or reads models: its own classes', DuckDB's and
   * Smile's versions (a model file holds Smile's classes, serialized; a new Smile can fit and read
   * them otherwise).
   */
  static String codeVersion(Class<?> type) {
    return CodeVersion.of(type, DuckDBConnection.class, smile.regression.LinearModel.class);
  }

  /** What a model was made with, for model.json and the registry's manifest. */
  static Map<String, Object> madeWith(Class<?> type) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("alphaflow-quant", CodeVersion.of(type));
    out.put("duckdb", CodeVersion.library(DuckDBConnection.class));
    out.put("smile", CodeVersion.library(smile.regression.LinearModel.class));
    return out;
  }

  /**
   * A registry task's {@code name}: given, and a name the registry takes (checked when the flow
   * loads unless it comes from a ${...} reference, which resolves later).
   */
  static List<ConfigProblem> nameProblems(Map<String, Object> config, String example) {
    List<ConfigProblem> out = new ArrayList<>(Configs.required(config, "name", example));
    Object name = config.get("name");
    if (name != null && !Configs.resolvesLater(name)) {
      String problem = ModelRegistry.nameProblem(String.valueOf(name));
      if (problem != null) {
        out.add(new ConfigProblem("name", problem, example));
      }
    }
    return out;
  }

  /**
   * A window of model.json ({@code {from, to}}, as train's folds and training window give them) as
   * a condition on the TIMESTAMP expression {@code time}, both ends included.
   */
  static String inWindow(String time, Map<?, ?> window) {
    return time
        + " BETWEEN CAST("
        + Sql.literal(String.valueOf(window.get("from")))
        + " AS TIMESTAMP) AND CAST("
        + Sql.literal(String.valueOf(window.get("to")))
        + " AS TIMESTAMP)";
  }

  static Model load(Path dir) {
    Path file = dir.resolve(TrainTask.MODEL_FILE);
    try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(file))) {
      in.setObjectInputFilter(ONLY_MODELS);
      return (Model) in.readObject();
    } catch (IOException | ClassNotFoundException | ClassCastException e) {
      throw TaskFailure.nonRetryable("cannot read the model in " + file + ": " + e.getMessage(), e);
    }
  }

  static Map<String, Object> json(Path dir, String name) {
    Path file = dir.resolve(name);
    if (!Files.isRegularFile(file)) {
      throw TaskFailure.nonRetryable(
          file + " does not exist: is " + dir + " a train task's output?");
    }
    try {
      return Json.read(file);
    } catch (IOException e) {
      throw TaskFailure.nonRetryable("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
