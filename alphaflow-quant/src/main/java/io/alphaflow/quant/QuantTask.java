package io.alphaflow.quant;

import io.alphaflow.core.artifact.ContentHash;
import io.alphaflow.core.task.CodeVersion;
import io.alphaflow.core.task.Task;
import io.alphaflow.quant.data.Dataset;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
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
   * it adds columns to, {@link Dataset#contentHash}) and the metadata beside it. Read once a
   * process while unchanged, and an upstream output was just hashed by the engine: no file is read
   * twice.
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
      content.put("files", ContentHash.of(path).hash()); // its data and metadata
      path = path.resolve(Dataset.DATA_FILE);
    }
    if (Files.isRegularFile(path)) {
      try {
        content.put("data", Dataset.contentHash(path));
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

  @Override
  default boolean readsParams() {
    return false;
  }

  @Override
  default String codeVersion() {
    return CodeVersion.of(getClass(), DuckDBConnection.class);
  }
}
