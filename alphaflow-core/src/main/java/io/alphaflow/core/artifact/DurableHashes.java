package io.alphaflow.core.artifact;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * File hashes remembered from one run to the next, in a text file of the state directory: a run
 * that reads the same 10M-row CSV as the last one takes its hash from here instead of reading 675
 * MB again. A file is known by its device and inode, size, and modification and change times to the
 * nanosecond. The change time is the kernel's own: no tool sets it (tar and rsync restore a
 * modification time, not it), and any write, rename or restore moves it, so a file rewritten to the
 * same size and time is read again. File systems without inodes or change times (Windows) remember
 * nothing here.
 *
 * <p>Files under the state directory itself (task outputs, whose hashes the store keeps) are not
 * remembered here. Each hash is one line appended in one write, so processes sharing a state
 * directory add to the file side by side; a line that does not parse is skipped. Past {@link
 * #LIMIT} lines the file is rewritten with the newest half, once, when it is opened.
 */
final class DurableHashes {
  /** Where the hashes live, under the state directory. */
  static final String FILE = "file-hashes";

  private static final int LIMIT = 20_000;
  private static final String VERSION = "1";

  /** A file as last hashed; any change to it changes this. */
  record Stamp(String identity, long size, long modifiedNanos, long changedNanos) {
    String line(byte[] hash) {
      return String.join(
              "\t",
              VERSION,
              identity,
              Long.toString(size),
              Long.toString(modifiedNanos),
              Long.toString(changedNanos),
              HexFormat.of().formatHex(hash))
          + "\n";
    }
  }

  private final Path stateDir;
  private final Path file;
  private final Map<Stamp, byte[]> known = new ConcurrentHashMap<>();

  private DurableHashes(Path stateDir) {
    this.stateDir = stateDir.toAbsolutePath().normalize();
    this.file = stateDir.resolve(FILE);
  }

  /** The hashes remembered in {@code stateDir} (none if it holds none or cannot be read). */
  static DurableHashes open(Path stateDir) {
    DurableHashes d = new DurableHashes(stateDir);
    Path file = d.file;
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return d; // none yet, or unreadable: hashes are read from the files, as without it
    }
    Map<Stamp, byte[]> newest = new LinkedHashMap<>();
    for (String line : lines) {
      String[] f = line.split("\t");
      if (f.length != 6 || !f[0].equals(VERSION)) {
        continue;
      }
      try {
        Stamp s = new Stamp(f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]));
        newest.remove(s);
        newest.put(s, HexFormat.of().parseHex(f[5]));
      } catch (IllegalArgumentException e) {
        // a line cut short by a crash mid-write: skipped
      }
    }
    if (lines.size() > LIMIT) {
      Map<Stamp, byte[]> kept = new LinkedHashMap<>();
      newest.entrySet().stream()
          .skip(Math.max(0, newest.size() - LIMIT / 2))
          .forEach(e -> kept.put(e.getKey(), e.getValue()));
      newest = kept;
      d.rewrite(newest);
    }
    d.known.putAll(newest);
    return d;
  }

  private void rewrite(Map<Stamp, byte[]> entries) {
    StringBuilder text = new StringBuilder();
    entries.forEach((s, h) -> text.append(s.line(h)));
    try {
      Path tmp = Files.createTempFile(file.getParent(), FILE, ".tmp");
      Files.writeString(tmp, text);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      // left long: it is cut again next time
    }
  }

  /** Whether {@code path} lies outside the state directory, so that its hash is kept here. */
  boolean keeps(Path path) {
    return !path.toAbsolutePath().normalize().startsWith(stateDir);
  }

  byte[] get(Stamp stamp) {
    return known.get(stamp);
  }

  void put(Stamp stamp, byte[] hash) {
    if (known.putIfAbsent(stamp, hash) != null) {
      return;
    }
    try {
      Files.writeString(
          file,
          stamp.line(hash),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND,
          StandardOpenOption.WRITE);
    } catch (IOException e) {
      // a state directory that cannot be written to: remembered in this process only
    }
  }

  /** {@code file}'s stamp, or null where its file system has no inodes or change times. */
  static Stamp stampOf(Path file) {
    try {
      Map<String, Object> a =
          Files.readAttributes(file, "unix:dev,ino,size,lastModifiedTime,ctime");
      return new Stamp(
          a.get("dev") + ":" + a.get("ino"),
          (Long) a.get("size"),
          nanos((FileTime) a.get("lastModifiedTime")),
          nanos((FileTime) a.get("ctime")));
    } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
      return null;
    }
  }

  private static long nanos(FileTime t) {
    return t.to(TimeUnit.NANOSECONDS);
  }
}
