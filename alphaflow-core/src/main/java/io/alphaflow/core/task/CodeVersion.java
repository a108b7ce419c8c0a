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
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * A task type's default code version ({@link Task#codeVersion}): a hash of the compiled classes
 * shipped beside it, in the jar (or class directory) its class was loaded from, so that a build
 * whose code changed makes new cache keys and one whose code did not keeps them. Only the classes'
 * names and bytes count, not the jar's timestamps, so rebuilding the same code changes nothing.
 */
final class CodeVersion {
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

  private CodeVersion() {}

  /**
   * The version of {@code type}'s code: the hash of the classes beside it (a version number in a
   * manifest would stay the same across builds of changed code); "dev" for a class with no jar or
   * directory to read.
   */
  static String of(Class<?> type) {
    return BY_CLASS.get(type);
  }

  private static String locate(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    if (source == null || source.getLocation() == null) {
      return "dev";
    }
    try {
      Path location = Path.of(source.getLocation().toURI());
      return BY_LOCATION.computeIfAbsent(location, CodeVersion::ofLocation);
    } catch (URISyntaxException | IllegalArgumentException e) {
      return "dev";
    }
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
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
    for (Map.Entry<String, byte[]> c : new TreeMap<>(classes).entrySet()) {
      md.update(c.getKey().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(ByteBuffer.allocate(Long.BYTES).putLong(c.getValue().length).array());
      md.update(c.getValue());
    }
    return HexFormat.of().formatHex(md.digest(), 0, 8);
  }
}
