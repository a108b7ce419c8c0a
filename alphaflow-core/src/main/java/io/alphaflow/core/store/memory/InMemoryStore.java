package io.alphaflow.core.store.memory;

import io.alphaflow.core.approval.Approval;
import io.alphaflow.core.artifact.Artifact;
import io.alphaflow.core.backup.BackupItem;
import io.alphaflow.core.event.Event;
import io.alphaflow.core.model.AliasMove;
import io.alphaflow.core.model.ModelVersion;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.TaskRunRecord;
import io.alphaflow.core.run.TaskState;
import io.alphaflow.core.store.CancelRequest;
import io.alphaflow.core.store.Store;
import io.alphaflow.core.store.StoreBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** A store that keeps everything in memory: for tests and benchmarks, never for real runs. */
public final class InMemoryStore implements Store {
  private final Map<String, RunRecord> runs = new LinkedHashMap<>();
  private final Map<String, Map<String, TaskRunRecord>> taskRuns = new LinkedHashMap<>();
  private final Map<String, List<Event>> events = new LinkedHashMap<>();
  private final Map<String, CancelRequest> cancels = new LinkedHashMap<>();
  private final Map<String, Artifact> artifacts = new LinkedHashMap<>();
  private final java.util.Set<String> deleted = new java.util.HashSet<>();
  private final java.util.Set<String> pinned = new java.util.HashSet<>();
  private final Map<String, BackupItem> backups = new LinkedHashMap<>();
  private final Map<String, String> claims = new LinkedHashMap<>();
  private final Map<String, Approval> approvals = new LinkedHashMap<>();
  private final Map<String, ModelVersion> models = new LinkedHashMap<>();
  private final Map<String, String> aliases = new LinkedHashMap<>();
  private final List<AliasMove> aliasMoves = new ArrayList<>();

  @Override
  public synchronized boolean decide(Approval a) {
    return approvals.putIfAbsent(a.runId() + "/" + a.taskId(), a) == null;
  }

  @Override
  public synchronized Optional<Approval> approval(String runId, String taskId) {
    return Optional.ofNullable(approvals.get(runId + "/" + taskId));
  }

  @Override
  public synchronized List<Approval> approvals(String runId) {
    return approvals.values().stream().filter(a -> a.runId().equals(runId)).toList();
  }

  @Override
  public synchronized boolean registerModel(ModelVersion v) {
    return models.putIfAbsent(v.name() + "/" + v.version(), v) == null;
  }

  @Override
  public synchronized Optional<ModelVersion> modelVersion(String name, String versionOrPrefix) {
    List<ModelVersion> hits =
        models.values().stream()
            .filter(v -> v.name().equals(name) && v.version().startsWith(versionOrPrefix))
            .toList();
    return hits.size() == 1 ? Optional.of(hits.get(0)) : Optional.empty();
  }

  @Override
  public synchronized List<ModelVersion> modelVersions(String name) {
    return models.values().stream().filter(v -> v.name().equals(name)).toList();
  }

  @Override
  public synchronized List<String> modelNames() {
    return models.values().stream().map(ModelVersion::name).distinct().sorted().toList();
  }

  @Override
  public synchronized Optional<String> alias(String name, String alias) {
    return Optional.ofNullable(aliases.get(name + "/" + alias));
  }

  @Override
  public synchronized boolean moveAlias(AliasMove move) {
    String key = move.name() + "/" + move.alias();
    if (!Objects.equals(aliases.get(key), move.previous())) {
      return false;
    }
    aliases.put(key, move.version());
    aliasMoves.add(move);
    return true;
  }

  @Override
  public synchronized List<AliasMove> aliasHistory(String name) {
    return aliasMoves.stream().filter(m -> m.name().equals(name)).toList();
  }

  @Override
  public synchronized void createRun(RunRecord run, List<TaskRunRecord> tasks, List<Event> evs) {
    if (runs.containsKey(run.runId())) {
      throw new IllegalStateException("run " + run.runId() + " exists already");
    }
    runs.put(run.runId(), run);
    Map<String, TaskRunRecord> byId = new LinkedHashMap<>();
    tasks.forEach(t -> byId.put(t.taskId(), t));
    taskRuns.put(run.runId(), byId);
    events.put(run.runId(), new ArrayList<>(evs));
  }

  @Override
  public synchronized void commit(StoreBatch batch) {
    if (batch.run() != null) {
      runs.put(batch.run().runId(), batch.run());
    }
    batch.taskRuns().forEach(t -> taskRuns.get(t.runId()).put(t.taskId(), t));
    batch.events().forEach(e -> events.get(e.runId()).add(e));
    batch
        .artifacts()
        .forEach(
            a -> {
              artifacts.put(a.runId() + "/" + a.taskId(), a);
              deleted.remove(a.runId() + "/" + a.taskId());
            });
    batch.backups().forEach(b -> backups.put(b.runId() + "/" + b.taskId(), b));
  }

  @Override
  public synchronized boolean claimCacheKey(
      String cacheKey, String holder, String replacing, Instant at) {
    String current = claims.get(cacheKey);
    if (current == null || current.equals(replacing) || current.equals(holder)) {
      claims.put(cacheKey, holder);
      return true;
    }
    return false;
  }

  @Override
  public synchronized Optional<String> cacheKeyHolder(String cacheKey) {
    return Optional.ofNullable(claims.get(cacheKey));
  }

  @Override
  public synchronized void releaseCacheKey(String cacheKey, String holder) {
    claims.remove(cacheKey, holder);
  }

  @Override
  public synchronized List<BackupItem> pendingBackups() {
    return backups.values().stream().filter(b -> !b.uploaded()).toList();
  }

  @Override
  public synchronized Optional<BackupItem> backupOf(String runId, String taskId) {
    return Optional.ofNullable(backups.get(runId + "/" + taskId));
  }

  @Override
  public synchronized void updateBackup(BackupItem item) {
    backups.put(item.runId() + "/" + item.taskId(), item);
  }

  @Override
  public synchronized Optional<Artifact> findArtifact(String hashOrPrefix) {
    List<Artifact> found =
        artifacts.values().stream().filter(a -> a.hash().startsWith(hashOrPrefix)).toList();
    boolean unique = found.stream().map(Artifact::hash).distinct().count() == 1;
    return unique ? Optional.of(found.get(0)) : Optional.empty();
  }

  @Override
  public synchronized Optional<Artifact> artifactOf(String runId, String taskId) {
    return Optional.ofNullable(artifacts.get(runId + "/" + taskId));
  }

  @Override
  public synchronized List<Artifact> expiredArtifacts(Instant now) {
    return artifacts.values().stream()
        .filter(a -> !deleted.contains(a.runId() + "/" + a.taskId()))
        .filter(a -> a.expiresAt() != null && !a.expiresAt().isAfter(now))
        .toList();
  }

  @Override
  public synchronized void markArtifactDeleted(Artifact artifact, Instant at) {
    deleted.add(artifact.runId() + "/" + artifact.taskId());
  }

  @Override
  public synchronized void pinRun(String runId, boolean pin) {
    if (pin) {
      pinned.add(runId);
    } else {
      pinned.remove(runId);
    }
  }

  @Override
  public synchronized boolean isPinned(String runId) {
    return pinned.contains(runId);
  }

  @Override
  public synchronized List<Artifact> consumersOf(String hash) {
    return artifacts.values().stream().filter(a -> a.inputs().contains(hash)).toList();
  }

  @Override
  public synchronized boolean claimRun(
      String runId, String expectedOwner, String newOwner, Instant at) {
    RunRecord run = runs.get(runId);
    if (run == null || !Objects.equals(run.owner(), expectedOwner)) {
      return false;
    }
    runs.put(runId, run.withOwner(newOwner, at));
    return true;
  }

  @Override
  public synchronized void requestCancel(String runId, CancelRequest request) {
    cancels.put(runId, request);
  }

  @Override
  public synchronized Optional<CancelRequest> cancelRequest(String runId) {
    return Optional.ofNullable(cancels.get(runId));
  }

  @Override
  public synchronized void clearCancelRequest(String runId) {
    cancels.remove(runId);
  }

  @Override
  public synchronized Optional<RunRecord> findRun(String runId) {
    return Optional.ofNullable(runs.get(runId));
  }

  @Override
  public synchronized List<RunRecord> recentRuns(int limit) {
    return runs.values().stream()
        .sorted(Comparator.comparing(RunRecord::createdAt).reversed())
        .limit(limit)
        .toList();
  }

  @Override
  public synchronized List<RunRecord> runsOf(String flowName) {
    return runs.values().stream()
        .filter(r -> r.flowName().equals(flowName))
        .sorted(Comparator.comparing(RunRecord::createdAt))
        .toList();
  }

  @Override
  public synchronized List<TaskRunRecord> taskRuns(String runId) {
    return List.copyOf(taskRuns.getOrDefault(runId, Map.of()).values());
  }

  @Override
  public synchronized Optional<TaskRunRecord> latestSucceededWithCacheKey(String cacheKey) {
    return taskRuns.values().stream()
        .flatMap(m -> m.values().stream())
        .filter(t -> cacheKey.equals(t.cacheKey()) && t.state() == TaskState.SUCCEEDED)
        .max(Comparator.comparing(TaskRunRecord::endedAt));
  }

  @Override
  public synchronized List<Event> events(String runId) {
    return List.copyOf(events.getOrDefault(runId, List.of()));
  }

  @Override
  public void close() {}
}
