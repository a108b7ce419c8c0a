package io.alphaflow.core.artifact;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Content hashes. A file's is Dropbox's content hash: the SHA-256 of the SHA-256s of its 4 MiB
 * blocks, which hash on every core at once. A directory's is the SHA-256 of every file's relative
 * path, size and content hash, in path order, so the same files give the same hash wherever they
 * live; the checkpoint marker is left out. A file is read once per process while its identity, size
 * and modification time stay the same and it was not being written as it was read: the engine
 * hashes a task's output, and the next task that names the file in its metadata (train's data hash)
 * gets the hash without reading it again. Given the engine's state directory ({@link #rememberIn}),
 * hashes also carry over from one run to the next.
 */
public final class ContentHash {
  /** Written next to the files once they are complete and hashed (seed 003's {@code .ok}). */
  public static final String MARKER = ".ok";

  /** A directory's hash, total size and file count. */
  public record Result(String hash, long sizeBytes, int files) {}

  private static final int BLOCK = 4 << 20;
  private static final ThreadLocal<ByteBuffer> BUFFER =
      ThreadLocal.withInitial(() -> ByteBuffer.allocate(BLOCK));

  private ContentHash() {}

  public static Result of(Path dir) throws IOException {
    MessageDigest md = sha256();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files =
          walk.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().equals(MARKER))
              .sorted()
              .toList();
    }
    long total = 0;
    for (Path f : files) {
      long size = Files.size(f);
      total += size;
      md.update(dir.relativize(f).toString().replace('\\', '/').getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(Long.toString(size).getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(file(f));
    }
    return new Result(HexFormat.of().formatHex(md.digest()), total, files.size());
  }

  /** The plain SHA-256 of {@code bytes}, in hex (model versions and cache keys). */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }

  /** A file's content hash, in hex. */
  public static String ofFile(Path file) throws IOException {
    return HexFormat.of().formatHex(file(file));
  }

  /**
   * A file as last hashed: its identity (device and inode where the file system has them, so a
   * staging directory moved into place keeps its files' hashes), size and modification time.
   */
  private record Stamp(Object identity, long size, FileTime modified) {}

  /** Hashes already computed in this process, for the files that have not changed since. */
  private static final Map<Stamp, byte[]> SEEN =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Stamp, byte[]> eldest) {
              return size() > 10_000;
            }
          });

  /** Hashes remembered from earlier runs, once a state directory is known ({@link #rememberIn}). */
  private static volatile DurableHashes durable;

  /**
   * Remembers file hashes from run to run in {@code stateDir} (the engine's {@code .alphaflow}), so
   * a run reads a large source file again only when it changed ({@link DurableHashes}).
   */
  public static void rememberIn(Path stateDir) {
    durable = DurableHashes.open(stateDir);
  }

  /** Forgets what this process hashed, as a new process would start (for tests). */
  static void forgetThisProcess() {
    SEEN.clear();
    durable = null;
  }

  private static byte[] file(Path file) throws IOException {
    BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
    Object identity = a.fileKey() != null ? a.fileKey() : file.toAbsolutePath().normalize();
    Stamp stamp = new Stamp(identity, a.size(), a.lastModifiedTime());
    byte[] known = SEEN.get(stamp);
    if (known != null) {
      return known;
    }
    DurableHashes earlier = durable;
    DurableHashes.Stamp lasting =
        earlier == null || !earlier.keeps(file) ? null : DurableHashes.stampOf(file);
    known = lasting == null ? null : earlier.get(lasting);
    if (known != null) {
      SEEN.put(stamp, known);
      return known;
    }
    known = read(file);
    long readEnded = System.currentTimeMillis();
    if (settled(a.lastModifiedTime(), readEnded)) {
      SEEN.put(stamp, known);
      if (lasting != null
          && settled(FileTime.from(lasting.changedNanos(), TimeUnit.NANOSECONDS), readEnded)) {
        earlier.put(lasting, known);
      }
    }
    return known;
  }

  /**
   * Whether a file last modified at {@code modified} and read up to {@code readEndedMillis} can be
   * remembered by its stamp. Not when the read ended within one tick of the file system's clock
   * after that time (git's "racily clean" files): a rewrite of the same size later in that tick
   * would keep the stamp and show the old hash. A tick is at most 10 ms where times have sub-second
   * digits and up to two seconds where they do not (FAT, ext3).
   */
  static boolean settled(FileTime modified, long readEndedMillis) {
    boolean coarse = modified.toInstant().getNano() == 0;
    return readEndedMillis - modified.toMillis() > (coarse ? 2_000 : 20);
  }

  private static byte[] read(Path file) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = in.size();
      int blocks = Math.toIntExact((size + BLOCK - 1) / BLOCK);
      byte[][] digests = new byte[blocks][];
      IntStream.range(0, blocks)
          .parallel()
          .forEach(
              i ->
                  digests[i] =
                      block(in, (long) i * BLOCK, Math.min(BLOCK, size - (long) i * BLOCK)));
      MessageDigest md = sha256();
      for (byte[] d : digests) {
        md.update(d);
      }
      return md.digest();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static byte[] block(FileChannel in, long from, long length) {
    ByteBuffer buf = BUFFER.get().clear().limit((int) length);
    try {
      while (buf.hasRemaining()) {
        if (in.read(buf, from + buf.position()) < 0) {
          throw new IOException("file shrank while being hashed");
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    MessageDigest md = sha256();
    md.update(buf.flip());
    return md.digest();
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
