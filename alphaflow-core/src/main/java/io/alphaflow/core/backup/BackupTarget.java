package io.alphaflow.core.backup;

import io.alphaflow.core.artifact.Artifact;
import java.net.URI;
import java.nio.file.Path;

/**
 * Object storage that keeps copies of checkpointed artifacts, for one URI scheme (e.g. {@code s3}).
 * Found with {@link java.util.ServiceLoader}. A copy lives under {@code <target>/<hash>/}.
 */
public interface BackupTarget {
  /** The scheme this target serves, e.g. {@code s3} for {@code s3://bucket/prefix}. */
  String scheme();

  /**
   * Copies every file under {@code dir} (the artifact's files and its {@code .ok}) to the target.
   */
  void upload(URI target, Artifact artifact, Path dir) throws Exception;

  /** Copies the artifact's files back from the target into {@code dir}. */
  void download(URI target, Artifact artifact, Path dir) throws Exception;
}
