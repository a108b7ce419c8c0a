package io.alphaflow.core.artifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checkpoint markers of task output directories (seed 003's {@code .ok}): written only once the
 * files are complete and hashed, checked before a result is reused or a task is rerun.
 */
public final class Checkpoints {
  private Checkpoints() {}

  /** Writes the marker: only a directory with one holds complete, hashed files. */
  public static void markComplete(Path dir, ContentHash.Result files) throws IOException {
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
  public static boolean isComplete(Path dir, String hash) {
    try {
      Path marker = dir.resolve(ContentHash.MARKER);
      return Files.isRegularFile(marker) && Files.readString(marker).contains(hash);
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The hash a completed output directory's marker records for its files, if {@code dir} has one:
   * published outputs never change, so this stands for their content as it does when the engine
   * reuses a result ({@link #isComplete}), without reading them again.
   */
  public static Optional<String> hash(Path dir) {
    Path marker = dir.resolve(ContentHash.MARKER);
    if (!Files.isRegularFile(marker)) {
      return Optional.empty();
    }
    try {
      var m = HASH.matcher(Files.readString(marker));
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static final Pattern HASH = Pattern.compile("\"hash\":\\s*\"([0-9a-f]{64})\"");

  /** Deletes a task's output directory and any staging directories an attempt left behind. */
  public static void clear(Path outputDir) {
    try {
      deleteTree(outputDir);
      Path parent = outputDir.getParent();
      if (parent == null || !Files.isDirectory(parent)) {
        return;
      }
      try (DirectoryStream<Path> staging =
          Files.newDirectoryStream(parent, outputDir.getFileName() + ".staging-*")) {
        for (Path p : staging) {
          deleteTree(p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the outputs in " + outputDir, e);
    }
  }

  /** Deletes a directory and everything in it; nothing happens if it does not exist. */
  public static void deleteTree(Path dir) throws IOException {
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

  /** Bytes under {@code dir} (0 if it does not exist). */
  public static long size(Path dir) {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (var walk = Files.walk(dir)) {
      return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    } catch (IOException e) {
      return 0;
    }
  }
}
