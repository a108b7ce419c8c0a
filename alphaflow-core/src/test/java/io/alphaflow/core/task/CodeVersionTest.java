package io.alphaflow.core.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
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

  /** A jar holding one class and a manifest with {@code attributes}. */
  private Path jarWithManifest(String name, Map<String, String> attributes, byte[] klass)
      throws Exception {
    return jarWithManifest(name, attributes, "lib/Engine.class", klass);
  }

  private Path jarWithManifest(
      String name, Map<String, String> attributes, String entry, byte[] klass) throws Exception {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    attributes.forEach((k, v) -> manifest.getMainAttributes().putValue(k, v));
    Path jar = dir.resolve(name);
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      out.putNextEntry(new JarEntry(entry));
      out.write(klass);
      out.closeEntry();
    }
    return jar;
  }

  @Test
  void aLibrarysVersionIsTheOneItsManifestDeclares() throws Exception {
    Path released =
        jarWithManifest(
            "engine-1.4.2.jar",
            Map.of("Implementation-Version", "1.4.2", "Bundle-Version", "1.4.2.0"),
            new byte[] {1});
    assertThat(CodeVersion.manifestVersion(released)).isEqualTo("1.4.2");
    // an OSGi bundle such as DuckDB's driver names its version only as Bundle-Version
    Path bundle =
        jarWithManifest("bundle.jar", Map.of("Bundle-Version", "1.4.2.0"), new byte[] {1});
    assertThat(CodeVersion.manifestVersion(bundle)).isEqualTo("1.4.2.0");
    Path unversioned = jarWithManifest("plain.jar", Map.of(), new byte[] {1});
    assertThat(CodeVersion.manifestVersion(unversioned)).isNull();

    // a class of a real library on the test class path: its jar's version, as the JDK reads it
    assertThat(CodeVersion.library(Test.class))
        .isEqualTo(Test.class.getPackage().getImplementationVersion())
        .isNotBlank();
    assertThat(CodeVersion.library(String.class)).isEqualTo("dev"); // the JDK's own
  }

  /** A class with nothing to link but Object, to load from a jar of a test's own making. */
  static final class Plain {}

  /**
   * A -SNAPSHOT version names no one build of a library (a team's own library rebuilt under the
   * same version): its classes' hash stands for it instead.
   */
  @Test
  void aSnapshotLibraryIsVersionedByItsClasses() throws Exception {
    String entry = Plain.class.getName().replace('.', '/') + ".class";
    byte[] bytes;
    try (var in = Plain.class.getClassLoader().getResourceAsStream(entry)) {
      bytes = in.readAllBytes();
    }
    Path snapshot =
        jarWithManifest(
            "team-lib.jar", Map.of("Implementation-Version", "1.0-SNAPSHOT"), entry, bytes);
    Path released =
        jarWithManifest("vendor-lib.jar", Map.of("Implementation-Version", "2.3.4"), entry, bytes);

    assertThat(CodeVersion.library(loadFrom(snapshot)))
        .isEqualTo(CodeVersion.ofLocation(snapshot))
        .matches("[0-9a-f]{16}");
    assertThat(CodeVersion.library(loadFrom(released))).isEqualTo("2.3.4");
  }

  /** {@link Plain} as loaded from {@code jar} alone (no parent to find it first). */
  private static Class<?> loadFrom(Path jar) throws Exception {
    var loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null);
    Class<?> c = loader.loadClass(Plain.class.getName());
    assertThat(c.getProtectionDomain().getCodeSource().getLocation().toURI())
        .isEqualTo(jar.toUri());
    return c;
  }

  /**
   * A type's version widened by a library's changes when the library's version does, even though
   * the type's classes stay the same (DuckDB's JDBC classes can stay the same while the engine they
   * wrap changes).
   */
  @Test
  void aWidenedVersionFollowsTheLibrarysVersion() {
    String own = CodeVersion.hash(CLASSES);
    String withOld = CodeVersion.hash(List.of(own, "1.4.2.0"));
    String withNew = CodeVersion.hash(List.of(own, "1.4.3.0"));
    assertThat(withOld).matches("[0-9a-f]{16}").isNotEqualTo(withNew).isNotEqualTo(own);
    // the parts stay apart: moving a character from one to the next is another version
    assertThat(CodeVersion.hash(List.of("ab", "c")))
        .isNotEqualTo(CodeVersion.hash(List.of("a", "bc")));

    Task plain = new Probe();
    Task widened =
        new Probe() {
          @Override
          public String codeVersion() {
            return CodeVersion.of(getClass(), Test.class);
          }
        };
    assertThat(widened.codeVersion())
        .isEqualTo(
            CodeVersion.hash(
                List.of(CodeVersion.of(widened.getClass()), CodeVersion.library(Test.class))))
        .isNotEqualTo(plain.codeVersion())
        .isEqualTo(widened.codeVersion()); // asked again: the same, from memory
    assertThat(CodeVersion.of(Probe.class, new Class<?>[0])).isEqualTo(plain.codeVersion());
  }

  private static class Probe implements Task {
    @Override
    public String type() {
      return "probe";
    }

    @Override
    public void execute(TaskContext context) {}
  }
}
