package io.alphaflow.quant.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Content hashes of source files, for lineage in metadata.json and for cache keys. A file is read
 * once per process while its size and modification time stay the same (the cache key and the
 * metadata of one ingest both need it).
 */
public final class FileHashes {
  private record Stamp(Path path, long size, long modified) {}

  private static final Map<Stamp, String> SEEN = new ConcurrentHashMap<>();

  private FileHashes() {}

  public static String sha256(Path file) {
    try {
      Path abs = file.toAbsolutePath().normalize();
      Stamp stamp = new Stamp(abs, Files.size(abs), Files.getLastModifiedTime(abs).toMillis());
      return SEEN.computeIfAbsent(stamp, s -> compute(s.path()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash " + file, e);
    }
  }

  private static String compute(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 20];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hash " + file, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
