package io.alphaflow.core.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentHashTest {
  @TempDir Path dir;

  private static byte[] sha256(byte[] bytes, int from, int to) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    md.update(bytes, from, to - from);
    return md.digest();
  }

  @Test
  void aFileHashesAsTheSha256OfItsFourMebibyteBlocksSha256s() throws Exception {
    int block = 4 << 20;
    byte[] bytes = new byte[2 * block + 17];
    new Random(7).nextBytes(bytes);
    Path file = Files.write(dir.resolve("data.bin"), bytes);

    MessageDigest outer = MessageDigest.getInstance("SHA-256");
    outer.update(sha256(bytes, 0, block));
    outer.update(sha256(bytes, block, 2 * block));
    outer.update(sha256(bytes, 2 * block, bytes.length));
    String expected = HexFormat.of().formatHex(outer.digest());
    assertThat(ContentHash.ofFile(file)).isEqualTo(expected);

    bytes[block] ^= 1;
    FileTime before = Files.getLastModifiedTime(file);
    Files.write(file, bytes);
    Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2_000));
    assertThat(ContentHash.ofFile(file))
        .as("a changed byte at a block's start")
        .isNotEqualTo(expected);
  }

  /**
   * A file is read once while its identity, size and time stay the same, even after a move (the
   * engine hashes a staging directory, then moves it into place). Proven here by changing the bytes
   * behind the hash's back: only a new time makes it read them again.
   */
  @Test
  void aMovedButUnchangedFileIsNotReadAgain() throws Exception {
    Path staged = Files.writeString(dir.resolve("staged.csv"), "a,b\n1,2\n");
    Files.setLastModifiedTime(staged, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
    String first = ContentHash.ofFile(staged);
    Path moved = Files.move(staged, dir.resolve("moved.csv"));
    FileTime time = Files.getLastModifiedTime(moved);

    Files.writeString(moved, "a,b\n3,4\n");
    Files.setLastModifiedTime(moved, time);
    assertThat(ContentHash.ofFile(moved)).isEqualTo(first);

    Files.setLastModifiedTime(moved, FileTime.fromMillis(time.toMillis() + 2_000));
    assertThat(ContentHash.ofFile(moved)).isNotEqualTo(first);
  }

  /**
   * A file hashed in the same clock tick as its last write is not remembered: rewritten in place
   * with the same size and, as a coarse clock would give, the same time, it is read again.
   */
  @Test
  void aFileHashedAsItWasWrittenIsReadAgainNextTime() throws Exception {
    Path file = Files.writeString(dir.resolve("live.csv"), "a,b\n1,2\n");
    FileTime written = FileTime.fromMillis(System.currentTimeMillis());
    Files.setLastModifiedTime(file, written);
    String first = ContentHash.ofFile(file);

    Files.writeString(file, "a,b\n3,4\n");
    Files.setLastModifiedTime(file, written);
    assertThat(ContentHash.ofFile(file)).isNotEqualTo(first);
  }

  /**
   * A later run takes a file's hash from the state directory while the file's inode, size and times
   * are those it was hashed with (shown by a hash planted there: the file is not read), and reads
   * it again once rewritten, even to the same size and modification time, since that moves its
   * change time.
   */
  @Test
  void aLaterRunTakesAnUnchangedFilesHashFromTheStateDirectory() throws Exception {
    Path state = Files.createDirectories(dir.resolve("state"));
    Path csv = Files.writeString(dir.resolve("prices.csv"), "a,b\n1,2\n");
    Thread.sleep(50); // past the clock tick of its last change
    try {
      ContentHash.rememberIn(state);
      String hash = ContentHash.ofFile(csv);
      assertThat(Files.readString(state.resolve(DurableHashes.FILE))).contains(hash);
      Path output = Files.writeString(state.resolve("output.parquet"), "rows");
      Thread.sleep(50);
      String outputHash = ContentHash.ofFile(output);
      assertThat(Files.readString(state.resolve(DurableHashes.FILE)))
          .as("a task output in the state directory is left to the store")
          .doesNotContain(outputHash);

      String planted = "ab".repeat(32);
      Files.writeString(
          state.resolve(DurableHashes.FILE),
          DurableHashes.stampOf(csv).line(HexFormat.of().parseHex(planted)),
          java.nio.file.StandardOpenOption.APPEND);
      ContentHash.forgetThisProcess();
      ContentHash.rememberIn(state);
      assertThat(ContentHash.ofFile(csv)).isEqualTo(planted);

      FileTime time = Files.getLastModifiedTime(csv);
      Files.writeString(csv, "a,b\n3,4\n");
      Files.setLastModifiedTime(csv, time);
      Thread.sleep(50);
      ContentHash.forgetThisProcess();
      ContentHash.rememberIn(state);
      String rewritten = ContentHash.ofFile(csv);
      assertThat(rewritten).isNotEqualTo(planted).isNotEqualTo(hash);
    } finally {
      ContentHash.forgetThisProcess();
    }
  }

  /** A line cut short is skipped; past the limit the file keeps its newest half. */
  @Test
  void theStateDirectorysHashesSurviveABrokenLineAndAreCutWhenLong() throws Exception {
    Path file = dir.resolve(DurableHashes.FILE);
    StringBuilder lines = new StringBuilder();
    byte[] hash = new byte[32];
    for (int i = 0; i < 20_001; i++) {
      lines.append(new DurableHashes.Stamp("1:" + i, i, i, i).line(hash));
    }
    lines.append("1\t1:x\t12"); // a crash mid-write
    Files.writeString(file, lines);

    DurableHashes d = DurableHashes.open(dir);
    assertThat(d.get(new DurableHashes.Stamp("1:20000", 20000, 20000, 20000))).isEqualTo(hash);
    assertThat(d.get(new DurableHashes.Stamp("1:0", 0, 0, 0))).isNull();
    assertThat(Files.readAllLines(file)).hasSize(10_000);
  }

  @Test
  void aTimeWithinATickOfTheHashIsNotSettled() {
    long now = 1_700_000_000_123L;
    assertThat(ContentHash.settled(FileTime.fromMillis(now - 5), now)).isFalse();
    assertThat(ContentHash.settled(FileTime.fromMillis(now - 500), now)).isTrue();
    FileTime wholeSecond = FileTime.fromMillis(1_700_000_000_000L);
    assertThat(ContentHash.settled(wholeSecond, now)).as("a coarse clock: whole seconds").isFalse();
    assertThat(ContentHash.settled(wholeSecond, now + 3_000)).isTrue();
  }

  @Test
  void anEmptyFileHashesAsTheSha256OfNothing() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty"));
    assertThat(ContentHash.ofFile(empty))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void aDirectoryHashDependsOnNamesAndContentNotOnWhereItLives() throws Exception {
    for (String root : new String[] {"a", "b"}) {
      Files.createDirectories(dir.resolve(root).resolve("sub"));
      Files.writeString(dir.resolve(root).resolve("data.parquet"), "rows");
      Files.writeString(dir.resolve(root).resolve("sub/metadata.json"), "{}");
      Files.writeString(dir.resolve(root).resolve(ContentHash.MARKER), root);
    }
    ContentHash.Result first = ContentHash.of(dir.resolve("a"));
    assertThat(ContentHash.of(dir.resolve("b"))).isEqualTo(first);
    assertThat(first.files()).isEqualTo(2);
    assertThat(first.sizeBytes()).isEqualTo(6);

    Files.move(dir.resolve("b/sub/metadata.json"), dir.resolve("b/sub/other.json"));
    assertThat(ContentHash.of(dir.resolve("b")).hash()).isNotEqualTo(first.hash());
  }
}
