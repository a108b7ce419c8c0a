package io.alphaflow.core.execution.internal;

import io.alphaflow.core.artifact.ContentHash;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

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

  /** Writes the checkpoint marker: only a directory with one holds complete, hashed files. */
  static void markComplete(Path dir, ContentHash.Result files) throws IOException {
    Files.writeString(
        dir.resolve(ContentHash.MARKER),
        "{\"hash\": \""
            + files.hash()
            + "\", \"size_bytes\": "
            + files.sizeBytes()
            + ", \"files\": "
            + files.files()
            + "}\n");
  }

  /** Whether {@code dir} holds complete files with this hash (its marker says so). */
  static boolean isComplete(Path dir, String hash) {
    try {
      Path marker = dir.resolve(ContentHash.MARKER);
      return Files.isRegularFile(marker) && Files.readString(marker).contains(hash);
    } catch (IOException e) {
      return false;
    }
  }

  static void delete(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            Files.delete(file);
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
            Files.delete(d);
            return FileVisitResult.CONTINUE;
          }
        });
  }
}
