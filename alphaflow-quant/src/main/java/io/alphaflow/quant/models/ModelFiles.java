package io.alphaflow.quant.models;

import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.data.Json;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads what train and register wrote: the model bytes and their JSON descriptions. */
final class ModelFiles {
  /** Only our model classes, Smile's and the JDK's may be read back from a model file. */
  private static final ObjectInputFilter ONLY_MODELS =
      ObjectInputFilter.Config.createFilter("maxdepth=200;io.alphaflow.**;smile.**;java.**;!*");

  private ModelFiles() {}

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
