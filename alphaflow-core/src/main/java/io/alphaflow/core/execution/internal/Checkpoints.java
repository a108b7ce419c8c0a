package io.alphaflow.core.execution.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks and clears task output directories for the runbook commands (rerun). */
public final class Checkpoints {
  private Checkpoints() {}

  /** Whether {@code dir} holds complete files with this hash (its {@code .ok} marker says so). */
  public static boolean isComplete(Path dir, String hash) {
    return OutputDirs.isComplete(dir, hash);
  }

  /** Deletes a task's output directory and any staging directories an attempt left behind. */
  public static void clear(Path outputDir) {
    try {
      OutputDirs.delete(outputDir);
      Path parent = outputDir.getParent();
      if (parent == null || !Files.isDirectory(parent)) {
        return;
      }
      try (DirectoryStream<Path> staging =
          Files.newDirectoryStream(parent, outputDir.getFileName() + ".staging-*")) {
        for (Path p : staging) {
          OutputDirs.delete(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the outputs in " + outputDir, e);
    }
  }
}
