package io.alphaflow.core.task;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * A task type's code version ({@link Task#codeVersion}): a hash of the compiled classes shipped
 * beside it, in the jar (or class directory) its class was loaded from, so that a build whose code
 * changed makes new cache keys and one whose code did not keeps them. Only the classes' names and
 * bytes count, not the jar's timestamps, so rebuilding the same code changes nothing.
 *
 * <p>A type whose results also depend on a library (a database engine, a model library) widens it
 * with {@link #of(Class, Class...)}: then a new version of the library alone makes new cache keys
 * too.
 */
public final class CodeVersion {
  /** Per jar or directory: every task type in one jar shares its hash, read once a process. */
  private static final Map<Path, String> BY_LOCATION = new ConcurrentHashMap<>();

  /** Per class: every task's cache key asks for its type's version, found once a class. */
  private static final ClassValue<String> BY_CLASS =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
          return locate(type);
        }
      };

  /** Per library jar or directory: its {@link #library} version, read once a process. */
  private static final Map<Path, String> LIBRARY_BY_LOCATION = new ConcurrentHashMap<>();

  /** Per type and libraries: every task's cache key asks, the answer never changes. */
  private static final Map<List<Class<?>>, String> WIDENED = new ConcurrentHashMap<>();

  private CodeVersion() {}

  /**
   * The version of {@code type}'s code: the hash of the classes beside it (a version number in a
   * manifest would stay the same across builds of changed code); "dev" for a class with no jar or
   * directory to read.
   */
  public static String of(Class<?> type) {
    return BY_CLASS.get(type);
  }

  /**
   * {@link #of(Class)} widened by the {@link #library} versions of the jars {@code libraries} are
   * loaded from (one class of each library the type's results depend on): a hash of them all, 16
   * hex digits as for a type alone.
   */
  public static String of(Class<?> type, Class<?>... libraries) {
    if (libraries.length == 0) {
      return of(type);
    }
    List<Class<?>> key = new ArrayList<>();
    key.add(type);
    key.addAll(Arrays.asList(libraries));
    return WIDENED.computeIfAbsent(
        key,
        k -> {
          List<String> parts = new ArrayList<>();
          parts.add(of(type));
          for (Class<?> library : libraries) {
            parts.add(library(library));
          }
          return hash(parts);
        });
  }

  /**
   * The version of the library {@code c} comes from, as its jar's manifest gives it
   * (Implementation-Version, else Bundle-Version, else Specification-Version): a released library's
   * classes can stay the same while what it does changes (DuckDB's JDBC classes wrap a native
   * engine). A jar without one, or with a -SNAPSHOT version, or a class directory, gives the hash
   * of its classes; a class of the JDK, or with no location, "dev".
   */
  public static String library(Class<?> c) {
    Path location = location(c);
    if (location == null) {
      return "dev";
    }
    return LIBRARY_BY_LOCATION.computeIfAbsent(
        location,
        l -> {
          String declared = Files.isDirectory(l) ? null : manifestVersion(l);
          // a snapshot's version names no one build: its classes do (hashed once a location)
          return declared != null && !declared.endsWith("-SNAPSHOT")
              ? declared
              : BY_LOCATION.computeIfAbsent(l, CodeVersion::ofLocation);
        });
  }

  /** The version a jar's manifest declares, or null. */
  static String manifestVersion(Path jar) {
    try (JarFile file = new JarFile(jar.toFile())) {
      Manifest manifest = file.getManifest();
      if (manifest == null) {
        return null;
      }
      Attributes main = manifest.getMainAttributes();
      for (String name :
          List.of("Implementation-Version", "Bundle-Version", "Specification-Version")) {
        String v = main.getValue(name);
        if (v != null && !v.isBlank()) {
          return v.strip();
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The jar or class directory {@code c} was loaded from, or null. */
  private static Path location(Class<?> c) {
    CodeSource source = c.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return null;
    }
    try {
      return Path.of(source.getLocation().toURI());
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  private static String locate(Class<?> type) {
    Path location = location(type);
    return location == null
        ? "dev"
        : BY_LOCATION.computeIfAbsent(location, CodeVersion::ofLocation);
  }

  static String ofLocation(Path location) {
    try {
      return hash(Files.isDirectory(location) ? ofDirectory(location) : ofJar(location));
    } catch (IOException e) {
      // unreadable now: the cache key still holds the task's config and inputs, as it always did
      return "dev";
    }
  }

  /** The classes of a jar, by entry name. */
  private static Map<String, byte[]> ofJar(Path jar) throws IOException {
    Map<String, byte[]> classes = new HashMap<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      for (JarEntry e : (Iterable<JarEntry>) file.stream()::iterator) {
        if (e.getName().endsWith(".class")) {
          try (InputStream in = file.getInputStream(e)) {
            classes.put(e.getName(), in.readAllBytes());
          }
        }
      }
    }
    return classes;
  }

  /** The classes under a directory, by their path in it as a jar would name them. */
  private static Map<String, byte[]> ofDirectory(Path dir) throws IOException {
    Map<String, byte[]> classes = new HashMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (f.toString().endsWith(".class") && Files.isRegularFile(f)) {
          classes.put(dir.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
        }
      }
    }
    return classes;
  }

  /**
   * The first 8 bytes, in hex, of the SHA-256 over every class's name, length and bytes, in name
   * order.
   */
  static String hash(Map<String, byte[]> classes) {
    MessageDigest md = sha256();
    for (Map.Entry<String, byte[]> c : new TreeMap<>(classes).entrySet()) {
      md.update(c.getKey().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(ByteBuffer.allocate(Long.BYTES).putLong(c.getValue().length).array());
      md.update(c.getValue());
    }
    return HexFormat.of().formatHex(md.digest(), 0, 8);
  }

  /** The first 8 bytes, in hex, of the SHA-256 over {@code parts}, each ended by a 0 byte. */
  static String hash(List<String> parts) {
    MessageDigest md = sha256();
    for (String p : parts) {
      md.update(p.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
    }
    return HexFormat.of().formatHex(md.digest(), 0, 8);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
