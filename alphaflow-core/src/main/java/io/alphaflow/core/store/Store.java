package io.alphaflow.core.store;

import io.alphaflow.core.approval.Approval;
import io.alphaflow.core.artifact.Artifact;
import io.alphaflow.core.backup.BackupItem;
import io.alphaflow.core.event.Event;
import io.alphaflow.core.model.AliasMove;
import io.alphaflow.core.model.ModelVersion;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.RunState;
import io.alphaflow.core.run.TaskRunRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Where runs, task runs and events live. The engine writes every state change through {@link
 * #commit(StoreBatch)} and acts on it only after the call returns, so an implementation must make a
 * batch durable and atomic before returning (all of it or none of it after a crash).
 * Implementations must be safe to call from several threads.
 */
public interface Store extends AutoCloseable {

  /** Stores a new run with all its task runs (and the events of its start) in one transaction. */
  void createRun(RunRecord run, List<TaskRunRecord> taskRuns, List<Event> events);

  /** Applies one batch of changes atomically. */
  void commit(StoreBatch batch);

  /**
   * Makes {@code newOwner} the process executing the run, only if its owner is still {@code
   * expectedOwner} (null: nobody); the check and the write are one atomic step, so two processes
   * resuming the same run cannot both win. Returns whether this call won.
   */
  boolean claimRun(String runId, String expectedOwner, String newOwner, Instant at);

  Optional<RunRecord> findRun(String runId);

  /** Records a request to cancel a run; a later request replaces an earlier one. */
  void requestCancel(String runId, CancelRequest request);

  /** The latest cancel request for a run, if any. */
  Optional<CancelRequest> cancelRequest(String runId);

  /** Forgets a run's cancel request (the user resumed it on purpose). */
  void clearCancelRequest(String runId);

  /** The most recent runs, newest first. */
  List<RunRecord> recentRuns(int limit);

  /**
   * The most recent runs of {@code flowName} (of any flow when null) in one of {@code states} (in
   * any when empty), newest first.
   */
  default List<RunRecord> recentRuns(int limit, String flowName, Set<RunState> states) {
    return recentRuns(Integer.MAX_VALUE).stream()
        .filter(r -> flowName == null || r.flowName().equals(flowName))
        .filter(r -> states.isEmpty() || states.contains(r.state()))
        .limit(limit)
        .toList();
  }

  /** The names of the flows that have runs, in name order. */
  default List<String> flowNames() {
    return recentRuns(Integer.MAX_VALUE).stream()
        .map(RunRecord::flowName)
        .distinct()
        .sorted()
        .toList();
  }

  /** Every run of a flow, oldest first. */
  List<RunRecord> runsOf(String flowName);

  /** A run's task runs in the order they were created. */
  List<TaskRunRecord> taskRuns(String runId);

  /** The most recent task run that succeeded with this cache key, if any. */
  Optional<TaskRunRecord> latestSucceededWithCacheKey(String cacheKey);

  /** A run's events in the order they happened. */
  List<Event> events(String runId);

  /**
   * The first-made artifact with this hash, or with a hash starting with this prefix if only one
   * hash does. The same content made again by other task runs has rows of its own.
   */
  Optional<Artifact> findArtifact(String hashOrPrefix);

  /** The artifact one task run made, if it made one. */
  Optional<Artifact> artifactOf(String runId, String taskId);

  /** Artifacts made from {@code hash} (it is among their inputs). */
  List<Artifact> consumersOf(String hash);

  /** Artifacts whose retention ended by {@code now} and whose files gc has not deleted yet. */
  List<Artifact> expiredArtifacts(Instant now);

  /** Records that gc deleted one artifact's files (its lineage stays). */
  void markArtifactDeleted(Artifact artifact, Instant at);

  /** A pinned run's artifacts and logs are kept whatever their retention says. */
  void pinRun(String runId, boolean pinned);

  boolean isPinned(String runId);

  /**
   * Claims the computation of a cache key for {@code holder}; succeeds if nobody holds it, or if
   * {@code replacing} (a holder found dead) still does. Atomic across processes.
   */
  boolean claimCacheKey(String cacheKey, String holder, String replacing, Instant at);

  /** Who computes a cache key now, if anybody. */
  Optional<String> cacheKeyHolder(String cacheKey);

  /** Gives a claim up (the computation ended, either way). */
  void releaseCacheKey(String cacheKey, String holder);

  /** Backups not uploaded yet, oldest first. */
  List<BackupItem> pendingBackups();

  /** The backup of one task run's artifact, if it has one. */
  Optional<BackupItem> backupOf(String runId, String taskId);

  /** Stores a backup's new state (queued with a new error, or uploaded). */
  void updateBackup(BackupItem item);

  /** Records a decision on a waiting task unless one exists; returns whether this one stands. */
  boolean decide(Approval approval);

  /** The decision on one task of a run, if anybody made one. */
  Optional<Approval> approval(String runId, String taskId);

  /** Every decision on a run's tasks, oldest first. */
  List<Approval> approvals(String runId);

  /** Stores a model version; false (and no change) if that name and version exist. */
  boolean registerModel(ModelVersion version);

  /** A version of a model by its hash or a unique prefix of it. */
  Optional<ModelVersion> modelVersion(String name, String versionOrPrefix);

  /** Every version of a model, oldest first. */
  List<ModelVersion> modelVersions(String name);

  /** The names of all registered models, sorted. */
  List<String> modelNames();

  /** The version an alias of a model points to, if it is set. */
  Optional<String> alias(String name, String alias);

  /**
   * Moves an alias and records the move, only if the alias still points to {@code move.previous()};
   * returns whether it moved.
   */
  boolean moveAlias(AliasMove move);

  /** Every move of a model's aliases, oldest first. */
  List<AliasMove> aliasHistory(String name);

  @Override
  void close();
}
