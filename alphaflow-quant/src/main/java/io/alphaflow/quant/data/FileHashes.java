package io.alphaflow.quant.data;

import io.alphaflow.core.artifact.ContentHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Content hashes of data files ({@link ContentHash#ofFile}, read once per process while a file is
 * unchanged), for lineage in metadata.json and for cache keys.
 */
public final class FileHashes {
  private FileHashes() {}

  public static String of(Path file) {
    try {
      return ContentHash.ofFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash " + file, e);
    }
  }
}
