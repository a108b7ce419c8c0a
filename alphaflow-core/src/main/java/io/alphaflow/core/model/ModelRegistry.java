package io.alphaflow.core.model;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The model registry: versions of named models under {@code <home>/models/<name>/<version>/}, their
 * records in the store, and the aliases {@code champion} and {@code challenger}. A promotion or
 * rollback moves an alias only from where it was seen to point, and records who, when and why.
 */
public final class ModelRegistry {
  public static final String CHAMPION = "champion";
  public static final String CHALLENGER = "challenger";

  /** The aliases a model has: what serving and rollback look up. */
  public static final List<String> ALIASES = List.of(CHAMPION, CHALLENGER);

  /**
   * Written into a version's directory when {@link #prune} deletes its files: when, by whom, which
   * files and how many bytes.
   */
  public static final String PRUNED_FILE = "pruned.json";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final ObjectMapper JSON = new ObjectMapper();

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
   * at once (a version already there is kept: same hash, same files; a pruned one gets its files
   * back). Returns the version as stored.
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
      } else if (Files.exists(target.resolve(PRUNED_FILE))) {
        restore(staged, target);
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
   * Puts a pruned version's files back from {@code staged} (the same model trained again): each
   * file lands whole, and the pruned mark goes last, so a version is never marked whole with a file
   * missing.
   */
  private static void restore(Path staged, Path target) throws IOException {
    Path tmp = Files.createTempDirectory(target.getParent(), ".incoming-");
    try (Stream<Path> files = Files.list(staged)) {
      for (Path f : files.toList()) {
        Path copy =
            Files.copy(f, tmp.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        Files.move(
            copy,
            target.resolve(f.getFileName()),
            StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      }
    }
    Files.delete(tmp);
    Files.delete(target.resolve(PRUNED_FILE));
  }

  /**
   * Deletes the model file, and every other file but the records (JSON, YAML, Markdown, text: the
   * manifest, model.json, metrics, a deployment manifest), of each version of {@code name} that
   * nothing may need again. Kept are: the champion and the challenger; the {@code keep} versions
   * each of them would return to in successive rollbacks; the {@code keep} newest versions; and
   * versions registered by a run that has not ended, whose promotion may still be waiting for
   * approval. A rollback further back than {@code keep} is refused with what was pruned. A pruned
   * version stays in the registry with its manifest and a {@value #PRUNED_FILE} saying when, by
   * whom and what went, so {@code models list/show/diff} and the alias history still show it;
   * promoting or scoring it is refused ({@link #filesProblem}), and training the same model again
   * restores it. With {@code dryRun} nothing is deleted and the report says what would be.
   */
  public PruneReport prune(String name, int keep, String by, boolean dryRun) {
    return prune(name, keep, List.of(), by, dryRun);
  }

  /**
   * {@link #prune(String, int, String, boolean)}, keeping also the versions {@code pinned} names
   * (by hash or unique prefix): those a flow scores with by name, which the registry cannot see. A
   * name that is no version of the model fails before anything is deleted.
   */
  public PruneReport prune(
      String name, int keep, java.util.Collection<String> pinned, String by, boolean dryRun) {
    requireModel(name);
    List<String> versions = new java.util.ArrayList<>();
    for (String v : pinned) {
      if (ALIASES.contains(v)) {
        throw new InvalidInputException(
            "--keep-version names a version; the " + v + " is kept already");
      }
      versions.add(find(name, v).version());
    }
    return new Pruning(this, store, clock).prune(name, keep, versions, by, dryRun);
  }

  /** What {@link #prune} recorded when it deleted {@code v}'s files; empty if it did not. */
  @SuppressWarnings("unchecked")
  public Optional<Map<String, Object>> pruned(ModelVersion v) {
    Path mark = dir(v.name(), v.version()).resolve(PRUNED_FILE);
    if (!Files.isRegularFile(mark)) {
      return Optional.empty();
    }
    try {
      return Optional.of(JSON.readValue(mark.toFile(), Map.class));
    } catch (IOException e) {
      return Optional.of(Map.of("pruned_at", "?", "by", "? (" + mark + " is unreadable)"));
    }
  }

  /**
   * Why {@code v}'s model cannot be loaded (its files were pruned), or null when they are there:
   * what promoting or scoring it says instead of a missing file.
   */
  public String filesProblem(ModelVersion v) {
    return pruned(v)
        .map(
            p ->
                "version "
                    + v.shortVersion()
                    + " of model '"
                    + v.name()
                    + "' was pruned on "
                    + p.get("pruned_at")
                    + " by "
                    + p.get("by")
                    + " (alphaflow models prune): its model file is gone. Run the flow that"
                    + " trained it again, with the same data and seed, to register it with its"
                    + " files, or use another version")
        .orElse(null);
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
    if (versionOrAlias == null || versionOrAlias.isBlank()) {
      throw new InvalidInputException(
          "no version of model '"
              + name
              + "' given: name one by its hash or a prefix of it, or an alias (champion,"
              + " challenger)");
    }
    String version =
        ALIASES.contains(versionOrAlias)
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

  /**
   * Why {@code alias} is none of {@link #ALIASES}, or null when it is one: a misspelt alias would
   * move a name nothing reads and leave the champion where it was.
   */
  public static String aliasProblem(String alias) {
    if (ALIASES.contains(alias)) {
      return null;
    }
    return "unknown alias '"
        + alias
        + "': a model's aliases are champion and challenger ("
        + DidYouMean.hint(String.valueOf(alias), ALIASES)
        + ")";
  }

  private static void requireAlias(String alias) {
    String problem = aliasProblem(alias);
    if (problem != null) {
      throw new InvalidInputException(problem);
    }
  }

  /** Points {@code alias} at {@code version}; refuses if someone moved it meanwhile. */
  public AliasMove promote(String name, String version, String alias, String by, String reason) {
    requireAlias(alias);
    ModelVersion v = find(name, version);
    String gone = filesProblem(v);
    if (gone != null) {
      throw new ConflictException(gone);
    }
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
    requireAlias(alias);
    requireModel(name);
    String current =
        store
            .alias(name, alias)
            .orElseThrow(
                () ->
                    new NotFoundException(
                        "model '" + name + "' has no " + alias + " to roll back"));
    java.util.Deque<String> stack = rollbackStack(name, alias);
    String previous = null;
    if (!stack.isEmpty() && stack.peek().equals(current)) {
      stack.pop();
      previous = stack.peek();
    }
    if (previous == null) {
      throw new ConflictException(
          "model '" + name + "' has no earlier " + alias + " to roll back to");
    }
    String gone = filesProblem(find(name, previous));
    if (gone != null) {
      throw new ConflictException("cannot roll back the " + alias + ": " + gone);
    }
    return move(
        new AliasMove(name, alias, previous, current, "rollback", by, reason, clock.instant()));
  }

  /**
   * The versions {@code alias} pointed to, the current one on top and below it those successive
   * rollbacks return to (a version rolled away from is skipped).
   */
  java.util.Deque<String> rollbackStack(String name, String alias) {
    java.util.Deque<String> stack = new java.util.ArrayDeque<>();
    for (AliasMove m : store.aliasHistory(name)) {
      if (!m.alias().equals(alias)) {
        continue;
      }
      if (m.action().equals("rollback")) {
        if (!stack.isEmpty()) {
          stack.pop();
        }
      } else {
        stack.push(m.version());
      }
    }
    return stack;
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
