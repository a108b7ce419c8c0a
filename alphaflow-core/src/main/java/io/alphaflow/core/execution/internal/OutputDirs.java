package io.alphaflow.core.execution.internal;

import io.alphaflow.core.artifact.Checkpoints;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Moves a successful attempt's staging directory into place and removes failed ones. */
final class OutputDirs {
  private OutputDirs() {}

  static void publish(Path staging, Path target) throws IOException {
    if (Files.exists(target)) {
      delete(target);
    }
    Files.createDirectories(target.getParent());
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(staging, target);
    }
  }

  static void delete(Path dir) throws IOException {
    Checkpoints.deleteTree(dir);
  }
}
