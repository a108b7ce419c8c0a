import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites the Java 5 classes of a jar (picocli's) as Java 8 classes, so that the ahead-of-time
 * cache bin/alphaflow builds on JDK 25 can hold them. The JVM leaves classes older than Java 6 out
 * of that cache ("old class has been linked"), and parsing, verifying and linking picocli's 170
 * classes again at every start costs each command about 0.1 s. Only the class file version changes
 * and the stack map frames the newer version requires are added, computed by the JDK's class-file
 * API; the code itself is unchanged.
 *
 * <p>The build runs this on JDK 24 and newer (the API's first final release), after copying the
 * dependencies to target/lib. Usage: {@code java RetargetJar.java JAR}. It rewrites JAR in place
 * and leaves it untouched when it holds no old class (already rewritten) or when any class fails.
 */
public final class RetargetJar {
  private static final int OLDEST_KEPT = 50; // Java 6: the first version the cache keeps
  private static final int TARGET = 52; // Java 8

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: java RetargetJar.java JAR");
      System.exit(2);
    }
    Path jar = Path.of(args[0]);
    Path rewritten = jar.resolveSibling(jar.getFileName() + ".retarget");
    int changed = 0;
    try (URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null);
        InputStream file = Files.newInputStream(jar);
        ZipInputStream in = new ZipInputStream(file);
        OutputStream target = Files.newOutputStream(rewritten);
        ZipOutputStream out = new ZipOutputStream(target)) {
      // stack maps name the common supertypes of values, so the jar's own classes must resolve
      ClassFile api =
          ClassFile.of(
              ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
              ClassFile.ClassHierarchyResolverOption.of(
                  ClassHierarchyResolver.defaultResolver()
                      .orElse(ClassHierarchyResolver.ofResourceParsing(classes))));
      for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
        byte[] bytes = in.readAllBytes();
        if (entry.getName().endsWith(".class")) {
          ClassModel model = api.parse(bytes);
          if (model.majorVersion() < OLDEST_KEPT) {
            bytes =
                api.transformClass(
                    model,
                    ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)
                        .andThen(ClassTransform.endHandler(c -> c.withVersion(TARGET, 0))));
            changed++;
          }
        }
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setTime(entry.getTime());
        out.putNextEntry(copy);
        out.write(bytes);
        out.closeEntry();
      }
    } catch (RuntimeException | IOException e) {
      Files.deleteIfExists(rewritten);
      System.err.println(
          "RetargetJar: left " + jar + " as it is (" + e + "); commands start about 0.1 s slower");
      return;
    }
    if (changed == 0) {
      Files.delete(rewritten); // already rewritten: keep the file's time, so the cache stays valid
      return;
    }
    Files.move(rewritten, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    System.out.println(
        "RetargetJar: " + changed + " classes of " + jar.getFileName() + " now Java 8 bytecode");
  }
}
