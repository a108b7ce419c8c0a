package io.alphaflow.core.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeVersionTest {
  @TempDir Path dir;

  private static final Map<String, byte[]> CLASSES =
      Map.of(
          "a/Task.class", new byte[] {1, 2, 3},
          "a/Helper.class", new byte[] {4, 5},
          "a/Helper$1.class", new byte[] {6});

  /**
   * A jar of {@link #CLASSES}, its entries stamped {@code millis}, plus a resource that is not a
   * class.
   */
  private Path jar(String name, long millis, String readme) throws Exception {
    Path jar = dir.resolve(name);
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      for (var c : CLASSES.entrySet()) {
        JarEntry e = new JarEntry(c.getKey());
        e.setLastModifiedTime(FileTime.fromMillis(millis));
        out.putNextEntry(e);
        out.write(c.getValue());
        out.closeEntry();
      }
      out.putNextEntry(new JarEntry("README.txt"));
      out.write(readme.getBytes());
      out.closeEntry();
    }
    return jar;
  }

  @Test
  void theSameClassesGiveTheSameVersionWhateverTheirJarsTimesOrDirectory() throws Exception {
    String first = CodeVersion.ofLocation(jar("one.jar", 1_000_000_000_000L, "built monday"));
    String rebuilt = CodeVersion.ofLocation(jar("two.jar", 1_700_000_000_000L, "built friday"));
    assertThat(first).matches("[0-9a-f]{16}").isEqualTo(rebuilt);

    Path classes = dir.resolve("classes");
    for (var c : CLASSES.entrySet()) {
      Path f = classes.resolve(c.getKey());
      Files.createDirectories(f.getParent());
      Files.write(f, c.getValue());
    }
    assertThat(CodeVersion.ofLocation(classes)).isEqualTo(first);
  }

  @Test
  void aChangedOrRenamedClassGivesANewVersion() {
    String base = CodeVersion.hash(CLASSES);
    Map<String, byte[]> changed = new HashMap<>(CLASSES);
    changed.put("a/Helper.class", new byte[] {4, 6});
    assertThat(CodeVersion.hash(changed)).isNotEqualTo(base);

    Map<String, byte[]> renamed = new HashMap<>(CLASSES);
    renamed.put("a/Other.class", renamed.remove("a/Helper.class"));
    assertThat(CodeVersion.hash(renamed)).isNotEqualTo(base);

    // a byte moved from one class to the next: the lengths keep the two apart
    Map<String, byte[]> shifted = new HashMap<>(CLASSES);
    shifted.put("a/Helper.class", new byte[] {4});
    shifted.put("a/Helper$1.class", new byte[] {5, 6});
    assertThat(CodeVersion.hash(shifted)).isNotEqualTo(base);
  }

  /** Was "dev" for every build, so a changed build reused what the old code had computed. */
  @Test
  void aTaskTypesDefaultVersionIsTheHashOfTheClassesBesideIt() throws Exception {
    Task task = new Probe();
    Path location = Path.of(getClass().getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(task.codeVersion())
        .isEqualTo(CodeVersion.ofLocation(location))
        .matches("[0-9a-f]{16}");
  }

  private static final class Probe implements Task {
    @Override
    public String type() {
      return "probe";
    }

    @Override
    public void execute(TaskContext context) {}
  }
}
