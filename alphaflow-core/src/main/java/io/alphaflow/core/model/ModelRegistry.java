package io.alphaflow.core.model;

import io.alphaflow.core.ConflictException;
import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.NotFoundException;
import io.alphaflow.core.flow.DidYouMean;
import io.alphaflow.core.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The model registry: versions of named models under {@code <home>/models/<name>/<version>/}, their
 * records in the store, and the aliases {@code champion} and {@code challenger}. A promotion or
 * rollback moves an alias only from where it was seen to point, and records who, when and why.
 */
public final class ModelRegistry {
  public static final String CHAMPION = "champion";
  public static final String CHALLENGER = "challenger";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  private final Store store;
  private final Path root;
  private final InstantSource clock;

  public ModelRegistry(Store store, Path home, InstantSource clock) {
    this.store = store;
    this.root = home.resolve("models");
    this.clock = clock;
  }

  public Path dir(String name, String version) {
    return root.resolve(checkName(name)).resolve(version);
  }

  /**
   * Registers the files in {@code staged} as a version: they are moved into the version's directory
   * at once (a version already there is kept: same hash, same files). Returns the version as
   * stored.
   */
  public ModelVersion register(
      String name, String version, Path staged, String manifest, String runId, String taskId) {
    Path target = dir(name, version);
    try {
      if (!Files.isDirectory(target)) {
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempDirectory(target.getParent(), ".incoming-");
        try (var files = Files.list(staged)) {
          for (Path f : files.toList()) {
            Files.copy(f, tmp.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
          }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot store model " + name + " " + version, e);
    }
    ModelVersion v =
        new ModelVersion(
            name, version, target.toString(), manifest, runId, taskId, clock.instant());
    store.registerModel(v);
    return store.modelVersion(name, version).orElse(v);
  }

  /**
   * Fails unless a model of this name is registered, naming the closest one and those there are: a
   * typo in a name reads as a missing model, not as a missing version.
   */
  public void requireModel(String name) {
    List<String> names = store.modelNames();
    if (!names.contains(name)) {
      String close = DidYouMean.closest(name, names);
      throw new NotFoundException(
          "no model '"
              + name
              + "' is registered"
              + (names.isEmpty()
                  ? " (none is yet: a flow's register task adds one)"
                  : (close == null ? "" : ": did you mean '" + close + "'?")
                      + " (models: "
                      + String.join(", ", names)
                      + ")"));
    }
  }

  /** A version by hash, unique prefix, or alias name ("champion"). */
  public ModelVersion find(String name, String versionOrAlias) {
    requireModel(name);
    String version =
        List.of(CHAMPION, CHALLENGER).contains(versionOrAlias)
            ? store
                .alias(name, versionOrAlias)
                .orElseThrow(
                    () ->
                        new NotFoundException(
                            "model '" + name + "' has no " + versionOrAlias + " yet"))
            : versionOrAlias;
    return store
        .modelVersion(name, version)
        .orElseThrow(
            () ->
                new NotFoundException(
                    "model '"
                        + name
                        + "' has no version '"
                        + version
                        + "' (or the prefix matches several); see 'alphaflow models list "
                        + name
                        + "'"));
  }

  /** The decision on a run's task, for promotions that record who approved them. */
  public Optional<io.alphaflow.core.approval.Approval> approval(String runId, String taskId) {
    return store.approval(runId, taskId);
  }

  public Optional<ModelVersion> alias(String name, String alias) {
    return store.alias(name, alias).flatMap(v -> store.modelVersion(name, v));
  }

  public List<ModelVersion> versions(String name) {
    return store.modelVersions(name);
  }

  public List<String> names() {
    return store.modelNames();
  }

  public List<AliasMove> history(String name) {
    return store.aliasHistory(name);
  }

  /** Points {@code alias} at {@code version}; refuses if someone moved it meanwhile. */
  public AliasMove promote(String name, String version, String alias, String by, String reason) {
    ModelVersion v = find(name, version);
    String previous = store.alias(name, alias).orElse(null);
    if (v.version().equals(previous)) {
      throw new ConflictException(
          "version " + v.shortVersion() + " of model '" + name + "' is already its " + alias);
    }
    return move(
        new AliasMove(name, alias, v.version(), previous, "promote", by, reason, clock.instant()));
  }

  /**
   * Moves {@code alias} back to the version it pointed to before its latest promotion; refuses when
   * there is none.
   */
  public AliasMove rollback(String name, String alias, String by, String reason) {
    requireModel(name);
    String current =
        store
            .alias(name, alias)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "model '" + name + "' has no " + alias + " to roll back"));
    List<AliasMove> moves =
        store.aliasHistory(name).stream().filter(m -> m.alias().equals(alias)).toList();
    // the version before the current one, skipping versions that were themselves rolled away
    String previous = null;
    java.util.Deque<String> stack = new java.util.ArrayDeque<>();
    for (AliasMove m : moves) {
      if (m.action().equals("rollback")) {
        if (!stack.isEmpty()) {
          stack.pop();
        }
      } else {
        stack.push(m.version());
      }
    }
    if (!stack.isEmpty() && stack.peek().equals(current)) {
      stack.pop();
      previous = stack.peek();
    }
    if (previous == null) {
      throw new ConflictException(
          "model '" + name + "' has no earlier " + alias + " to roll back to");
    }
    return move(
        new AliasMove(name, alias, previous, current, "rollback", by, reason, clock.instant()));
  }

  private AliasMove move(AliasMove m) {
    if (!store.moveAlias(m)) {
      throw new ConflictException(
          "the "
              + m.alias()
              + " of model '"
              + m.name()
              + "' was moved by someone else meanwhile; look again with 'alphaflow models show "
              + m.name()
              + " "
              + m.alias()
              + "'");
    }
    return m;
  }

  private static String checkName(String name) {
    String problem = nameProblem(name);
    if (problem != null) {
      throw new InvalidInputException(problem);
    }
    return name;
  }

  /** What is wrong with {@code name} as a model's name, or null when nothing is. */
  public static String nameProblem(String name) {
    return name == null || !NAME.matcher(name).matches()
        ? "bad model name '" + name + "': use letters, digits, '_', '.' and '-'"
        : null;
  }
}
