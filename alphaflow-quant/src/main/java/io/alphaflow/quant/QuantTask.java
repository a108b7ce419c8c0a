package io.alphaflow.quant;

import io.alphaflow.core.artifact.Checkpoints;
import io.alphaflow.core.artifact.ContentHash;
import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.task.CodeVersion;
import io.alphaflow.core.task.Task;
import io.alphaflow.quant.data.Dataset;
import io.alphaflow.quant.data.Duck;
import io.alphaflow.quant.data.FileHashes;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.duckdb.DuckDBConnection;

/**
 * A built-in quant task type: it reads only its config (params reach it through the config's
 * templates), so a run param it does not use leaves its cache key alone; DuckDB computes its
 * results, so DuckDB's version is part of its code version; and what it reads is part of what
 * identifies its work.
 */
public interface QuantTask extends Task {
  /**
   * The config and the content of its {@code input}: an upstream task's output is in the cache key
   * already (as its artifact hash), but a file a flow names itself ({@code input:
   * data/prices.parquet}) is not, and rewritten in place it would be served the results of its old
   * content. A directory counts by all its files, a data file by every file of its chain (the input
   * it adds columns to) and the metadata beside it. A completed task output counts by the hash its
   * checkpoint records, as the engine trusts it when it reuses a result; other files are read once
   * a process while unchanged (and a file outside the state directory once while unchanged at all).
   */
  @Override
  default Object cacheIdentity(Map<String, Object> resolvedConfig) throws Exception {
    if (!(resolvedConfig.get("input") instanceof String input)) {
      return resolvedConfig;
    }
    Path path;
    try {
      path = Path.of(input);
    } catch (InvalidPathException e) {
      return resolvedConfig; // the task says what is wrong with it
    }
    Map<String, Object> content = new LinkedHashMap<>();
    boolean directory = Files.isDirectory(path);
    if (directory) {
      Optional<String> published = Checkpoints.hash(path);
      content.put("files", published.isPresent() ? published.get() : ContentHash.of(path).hash());
      path = path.resolve(Dataset.DATA_FILE);
    }
    if (Files.isRegularFile(path)) {
      try {
        content.put("data", chainIdentity(path));
      } catch (UncheckedIOException e) {
        return resolvedConfig; // a file of its chain is gone: the task says which, and what to do
      }
      // the metadata beside a file (a directory's was hashed with it)
      String[] beside =
          directory
              ? new String[0]
              : new String[] {Dataset.METADATA_FILE, Dataset.FEATURE_METADATA_FILE};
      for (String name : beside) {
        Path meta = Dataset.metadataFile(path, name);
        if (Files.isRegularFile(meta)) {
          content.put(name, ContentHash.ofFile(meta));
        }
      }
    }
    if (content.isEmpty()) {
      return resolvedConfig; // nothing there: the task fails saying so
    }
    Map<String, Object> identity = new LinkedHashMap<>(resolvedConfig);
    identity.put("input_content", content);
    return identity;
  }

  /**
   * What stands for the rows {@code file} holds, its chain's files included (the input it adds
   * columns to, {@link Dataset#files}): a file in a completed task output by that output's
   * checkpoint hash, which never changes while the output exists, so a cached run reads none of its
   * files again; any other file by its content hash.
   */
  private static String chainIdentity(Path file) {
    StringBuilder ids = new StringBuilder();
    for (Path f : Dataset.files(file)) {
      Optional<String> published =
          f.getParent() == null ? Optional.empty() : Checkpoints.hash(f.getParent());
      ids.append(published.map(h -> "output " + h).orElseGet(() -> FileHashes.of(f)));
      ids.append('\n');
    }
    return ContentHash.sha256Hex(ids.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Problems with this type's own settings ({@link Task#validate}); a value a template gives is
   * checked once it resolves, when the engine asks again.
   */
  List<ConfigProblem> settingProblems(Map<String, Object> config);

  /** {@link #settingProblems} after those of DuckDB's settings, which every quant task takes. */
  @Override
  default List<ConfigProblem> validate(Map<String, Object> config) {
    List<ConfigProblem> out = new ArrayList<>(Duck.problems(config));
    out.addAll(settingProblems(config));
    return out;
  }

  /**
   * {@code own} and the keys every quant task takes: DuckDB's {@code memory_limit} and {@code
   * threads}, for a type's {@link #configKeys}.
   */
  static java.util.Set<String> keys(String... own) {
    java.util.Set<String> out = new java.util.LinkedHashSet<>(java.util.List.of(own));
    out.add("memory_limit");
    out.add("threads");
    return java.util.Collections.unmodifiableSet(out);
  }

  /**
   * DuckDB's errors about the query or the data (binder, parser, conversion, catalog, constraint,
   * invalid input, out of range) come back on every attempt; its I/O and memory errors may pass.
   */
  @Override
  default boolean retryable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException
          && t.getMessage() != null
          && SAME_EVERY_TIME.matcher(t.getMessage()).lookingAt()) {
        return false;
      }
    }
    return true;
  }

  /** The DuckDB error classes that a retry cannot change. */
  java.util.regex.Pattern SAME_EVERY_TIME =
      java.util.regex.Pattern.compile(
          "\\s*(Binder|Parser|Conversion|Catalog|Constraint|Invalid Input|Out of Range|Not"
              + " implemented|Type Mismatch|Syntax) Error");

  @Override
  default boolean readsParams() {
    return false;
  }

  @Override
  default String codeVersion() {
    return CodeVersion.of(getClass(), DuckDBConnection.class);
  }
}
