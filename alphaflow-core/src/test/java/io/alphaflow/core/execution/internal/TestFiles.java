package io.alphaflow.core.execution.internal;

import java.io.IOException;
import java.nio.file.Path;

/** File helpers for tests, reusing the engine's own. */
public final class TestFiles {
  private TestFiles() {}

  public static void deleteTree(Path dir) throws IOException {
    OutputDirs.delete(dir);
  }
}
