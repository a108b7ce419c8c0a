package io.alphaflow.core.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The SHA-256 of a directory's content: every file's relative path, size and bytes, in path order,
 * so the same files give the same hash wherever they live. The checkpoint marker is left out.
 */
public final class ContentHash {
  /** Written next to the files once they are complete and hashed (seed 003's {@code .ok}). */
  public static final String MARKER = ".ok";

  /** A directory's hash, total size and file count. */
  public record Result(String hash, long sizeBytes, int files) {}

  private ContentHash() {}

  public static Result of(Path dir) throws IOException {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().equals(MARKER))
              .sorted()
              .toList();
    }
    long total = 0;
    byte[] buf = new byte[1 << 20];
    for (Path f : files) {
      long size = Files.size(f);
      total += size;
      md.update(dir.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(Long.toString(size).getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      try (InputStream in = Files.newInputStream(f)) {
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      }
    }
    return new Result(HexFormat.of().formatHex(md.digest()), total, files.size());
  }
}
