package io.alphaflow.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.alphaflow.core.AlphaflowException;
import io.alphaflow.core.approval.Approval;
import io.alphaflow.core.artifact.Artifact;
import io.alphaflow.core.backup.BackupItem;
import io.alphaflow.core.event.Event;
import io.alphaflow.core.event.EventType;
import io.alphaflow.core.model.AliasMove;
import io.alphaflow.core.model.ModelVersion;
import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.RunState;
import io.alphaflow.core.run.TaskRunRecord;
import io.alphaflow.core.run.TaskState;
import io.alphaflow.core.store.CancelRequest;
import io.alphaflow.core.store.Store;
import io.alphaflow.core.store.StoreBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * The embedded default store: one SQLite file in WAL mode, migrated by Flyway on open. Commits use
 * {@code synchronous=NORMAL}: a committed batch survives the process being killed (kill -9), though
 * not a power cut in the last moments before it. Other processes may read while a run writes.
 */
public final class SqliteStore implements Store {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private final Connection connection;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final Path file;
  private final RegistryTables registry = new RegistryTables(this);

  private SqliteStore(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /** Opens (creating if needed) the store at {@code file} and brings its schema up to date. */
  public static SqliteStore open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      // busy_timeout in the URL so Flyway's own connection waits for a concurrent writer too
      String url = "jdbc:sqlite:" + file.toAbsolutePath() + "?busy_timeout=10000";
      migrate(url);
      Connection c = DriverManager.getConnection(url);
      try (Statement s = c.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=NORMAL");
        s.execute("PRAGMA busy_timeout=10000");
        s.execute("PRAGMA foreign_keys=ON");
      }
      c.setAutoCommit(false);
      return new SqliteStore(file, c);
    } catch (SQLException e) {
      throw new AlphaflowException(
          "cannot open the state store " + file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory of " + file, e);
    }
  }

  /**
   * Brings the schema up to date. Two processes opening a brand-new store at once can race on
   * creating it; the loser sees the winner's tables on a second look.
   */
  private static void migrate(String url) {
    if (upToDate(url)) {
      return;
    }
    Flyway flyway =
        Flyway.configure()
            .dataSource(url, null, null)
            .locations("classpath:db/migration/sqlite")
            .loggers("slf4j")
            .load();
    for (int attempt = 1; ; attempt++) {
      try {
        flyway.migrate();
        return;
      } catch (FlywayException e) {
        if (attempt == 5) {
          throw e;
        }
        try {
          Thread.sleep(50L * attempt);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * The newest migration under {@code db/migration/sqlite} (a test keeps the two in step). A store
   * already there opens without starting Flyway, which costs a tenth of a second per command.
   */
  static final int LATEST_MIGRATION = 8;

  private static boolean upToDate(String url) {
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT max(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success")) {
      return rs.next() && rs.getInt(1) >= LATEST_MIGRATION;
    } catch (SQLException e) {
      return false; // a new store, or one Flyway has not finished: let Flyway say
    }
  }

  public Path file() {
    return file;
  }

  @Override
  public void createRun(RunRecord run, List<TaskRunRecord> taskRuns, List<Event> events) {
    inTransaction(
        () -> {
          insertRun(run);
          insertTaskRuns(taskRuns);
          insertEvents(events);
        });
  }

  @Override
  public void commit(StoreBatch batch) {
    if (batch.isEmpty()) {
      return;
    }
    inTransaction(
        () -> {
          if (batch.run() != null) {
            updateRun(batch.run());
          }
          updateTaskRuns(batch.taskRuns());
          insertEvents(batch.events());
          insertArtifacts(batch.artifacts());
          for (BackupItem b : batch.backups()) {
            upsertBackup(b);
          }
        });
  }

  private void insertRun(RunRecord run) throws SQLException {
    PreparedStatement ps =
        statement(
            "INSERT INTO runs (run_id, flow_name, flow_file, flow_source, params, state,"
                + " created_at, ended_at, owner, heartbeat_at, error)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?)");
    ps.setString(1, run.runId());
    ps.setString(2, run.flowName());
    ps.setString(3, run.flowFile());
    ps.setString(4, run.flowSource());
    ps.setString(5, json(run.params()));
    ps.setString(6, run.state().name());
    setTime(ps, 7, run.createdAt());
    setTime(ps, 8, run.endedAt());
    ps.setString(9, run.owner());
    setTime(ps, 10, run.heartbeatAt());
    ps.setString(11, run.error());
    ps.executeUpdate();
  }

  private void updateRun(RunRecord run) throws SQLException {
    PreparedStatement ps =
        statement(
            "UPDATE runs SET state=?, ended_at=?, owner=?, heartbeat_at=?, error=? WHERE run_id=?");
    ps.setString(1, run.state().name());
    setTime(ps, 2, run.endedAt());
    ps.setString(3, run.owner());
    setTime(ps, 4, run.heartbeatAt());
    ps.setString(5, run.error());
    ps.setString(6, run.runId());
    ps.executeUpdate();
  }

  private void insertTaskRuns(List<TaskRunRecord> taskRuns) throws SQLException {
    PreparedStatement ps =
        statement(
            "INSERT INTO task_runs (run_id, task_id, seq, state, attempt, attempt_floor,"
                + " started_at, ended_at, next_attempt_at, exit_code, error, outputs, artifact, cache_key)"
                + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    int seq = 0;
    for (TaskRunRecord t : taskRuns) {
      ps.setString(1, t.runId());
      ps.setString(2, t.taskId());
      ps.setInt(3, seq++);
      bindTaskFields(ps, 4, t);
      ps.addBatch();
    }
    ps.executeBatch();
  }

  private void updateTaskRuns(List<TaskRunRecord> taskRuns) throws SQLException {
    if (taskRuns.isEmpty()) {
      return;
    }
    PreparedStatement ps =
        statement(
            "UPDATE task_runs SET state=?, attempt=?, attempt_floor=?, started_at=?,"
                + " ended_at=?, next_attempt_at=?, exit_code=?, error=?, outputs=?, artifact=?, cache_key=?"
                + " WHERE run_id=? AND task_id=?");
    for (TaskRunRecord t : taskRuns) {
      bindTaskFields(ps, 1, t);
      ps.setString(12, t.runId());
      ps.setString(13, t.taskId());
      ps.addBatch();
    }
    ps.executeBatch();
  }

  @Override
  public boolean claimRun(String runId, String expectedOwner, String newOwner, Instant at) {
    boolean[] won = new boolean[1];
    inTransaction(
        () -> {
          PreparedStatement ps =
              statement(
                  "UPDATE runs SET owner=?, heartbeat_at=? WHERE run_id=?"
                      + " AND (owner IS ? OR owner = ?)");
          ps.setString(1, newOwner);
          setTime(ps, 2, at);
          ps.setString(3, runId);
          ps.setString(4, expectedOwner);
          ps.setString(5, expectedOwner);
          won[0] = ps.executeUpdate() == 1;
        });
    return won[0];
  }

  @Override
  public void requestCancel(String runId, CancelRequest request) {
    inTransaction(
        () -> {
          PreparedStatement ps =
              statement(
                  "INSERT INTO run_requests (run_id, kind, reason, requested_at) VALUES (?, 'cancel', ?, ?)"
                      + " ON CONFLICT (run_id, kind) DO UPDATE SET reason = excluded.reason,"
                      + " requested_at = excluded.requested_at");
          ps.setString(1, runId);
          ps.setString(2, request.reason());
          setTime(ps, 3, request.at());
          ps.executeUpdate();
        });
  }

  @Override
  public Optional<CancelRequest> cancelRequest(String runId) {
    return read(
        () -> {
          PreparedStatement ps =
              statement(
                  "SELECT reason, requested_at FROM run_requests WHERE run_id = ? AND kind = 'cancel'");
          ps.setString(1, runId);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next()
                ? Optional.of(new CancelRequest(rs.getString("reason"), time(rs, "requested_at")))
                : Optional.empty();
          }
        });
  }

  @Override
  public void clearCancelRequest(String runId) {
    inTransaction(
        () -> {
          PreparedStatement ps =
              statement("DELETE FROM run_requests WHERE run_id = ? AND kind = 'cancel'");
          ps.setString(1, runId);
          ps.executeUpdate();
        });
  }

  @Override
  public Optional<RunRecord> findRun(String runId) {
    List<RunRecord> runs = queryRuns("SELECT * FROM runs WHERE run_id = ?", runId);
    return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
  }

  @Override
  public List<RunRecord> recentRuns(int limit) {
    return queryRuns(
        "SELECT * FROM runs ORDER BY created_at DESC, rowid DESC LIMIT ?", Integer.toString(limit));
  }

  @Override
  public List<RunRecord> recentRuns(int limit, String flowName, Set<RunState> states) {
    List<String> where = new ArrayList<>();
    List<String> args = new ArrayList<>();
    if (flowName != null) {
      where.add("flow_name = ?");
      args.add(flowName);
    }
    if (!states.isEmpty()) {
      where.add("state IN (" + String.join(", ", Collections.nCopies(states.size(), "?")) + ")");
      states.stream().map(RunState::name).sorted().forEach(args::add);
    }
    args.add(Integer.toString(limit));
    return queryRuns(
        "SELECT * FROM runs"
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + " ORDER BY created_at DESC, rowid DESC LIMIT ?",
        args.toArray(String[]::new));
  }

  @Override
  public List<String> flowNames() {
    return read(
        () -> {
          List<String> out = new ArrayList<>();
          try (ResultSet rs =
              statement("SELECT DISTINCT flow_name FROM runs ORDER BY flow_name").executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  @Override
  public List<RunRecord> runsOf(String flowName) {
    return queryRuns("SELECT * FROM runs WHERE flow_name = ? ORDER BY created_at, rowid", flowName);
  }

  @Override
  public List<TaskRunRecord> taskRuns(String runId) {
    return queryTaskRuns("SELECT * FROM task_runs WHERE run_id = ? ORDER BY seq", runId);
  }

  @Override
  public Optional<TaskRunRecord> latestSucceededWithCacheKey(String cacheKey) {
    return queryTaskRuns(
            "SELECT * FROM task_runs WHERE cache_key = ? AND state = 'SUCCEEDED'"
                + " ORDER BY ended_at DESC LIMIT 1",
            cacheKey)
        .stream()
        .findFirst();
  }

  private List<TaskRunRecord> queryTaskRuns(String sql, String arg) {
    return read(
        () -> {
          PreparedStatement ps = statement(sql);
          ps.setString(1, arg);
          List<TaskRunRecord> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new TaskRunRecord(
                      rs.getString("run_id"),
                      rs.getString("task_id"),
                      TaskState.valueOf(rs.getString("state")),
                      rs.getInt("attempt"),
                      rs.getInt("attempt_floor"),
                      time(rs, "started_at"),
                      time(rs, "ended_at"),
                      time(rs, "next_attempt_at"),
                      (Integer) rs.getObject("exit_code"),
                      rs.getString("error"),
                      map(rs.getString("outputs")),
                      rs.getString("artifact"),
                      rs.getString("cache_key")));
            }
          }
          return out;
        });
  }

  @Override
  public List<Event> events(String runId) {
    return read(
        () -> {
          PreparedStatement ps = statement("SELECT * FROM events WHERE run_id = ? ORDER BY id");
          ps.setString(1, runId);
          List<Event> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new Event(
                      rs.getString("run_id"),
                      EventType.valueOf(rs.getString("type")),
                      rs.getString("task_id"),
                      rs.getInt("attempt"),
                      time(rs, "at"),
                      rs.getString("message")));
            }
          }
          return out;
        });
  }

  @Override
  public boolean decide(Approval approval) {
    return registry.decide(approval);
  }

  @Override
  public Optional<Approval> approval(String runId, String taskId) {
    return registry.approvals(runId, taskId).stream().findFirst();
  }

  @Override
  public List<Approval> approvals(String runId) {
    return registry.approvals(runId, null);
  }

  @Override
  public boolean registerModel(ModelVersion version) {
    return registry.registerModel(version);
  }

  @Override
  public Optional<ModelVersion> modelVersion(String name, String versionOrPrefix) {
    List<ModelVersion> hits = registry.versions(name, versionOrPrefix);
    return hits.size() == 1 ? Optional.of(hits.get(0)) : Optional.empty();
  }

  @Override
  public List<ModelVersion> modelVersions(String name) {
    return registry.versions(name, "");
  }

  @Override
  public List<String> modelNames() {
    return registry.names();
  }

  @Override
  public Optional<String> alias(String name, String alias) {
    return registry.alias(name, alias);
  }

  @Override
  public boolean moveAlias(AliasMove move) {
    return registry.moveAlias(move);
  }

  @Override
  public List<AliasMove> aliasHistory(String name) {
    return registry.history(name);
  }

  @Override
  public void close() {
    lock.lock();
    try {
      for (PreparedStatement ps : statements.values()) {
        ps.close();
      }
      connection.close();
    } catch (SQLException e) {
      throw new AlphaflowException("cannot close the state store " + file, e);
    } finally {
      lock.unlock();
    }
  }

  private List<RunRecord> queryRuns(String sql, String... args) {
    return read(
        () -> {
          PreparedStatement ps = statement(sql);
          for (int i = 0; i < args.length; i++) {
            ps.setString(i + 1, args[i]);
          }
          List<RunRecord> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new RunRecord(
                      rs.getString("run_id"),
                      rs.getString("flow_name"),
                      rs.getString("flow_file"),
                      rs.getString("flow_source"),
                      map(rs.getString("params")),
                      RunState.valueOf(rs.getString("state")),
                      time(rs, "created_at"),
                      time(rs, "ended_at"),
                      rs.getString("owner"),
                      time(rs, "heartbeat_at"),
                      rs.getString("error")));
            }
          }
          return out;
        });
  }

  private void upsertBackup(BackupItem b) throws SQLException {
    PreparedStatement ps =
        statement(
            "INSERT INTO backups (run_id, task_id, hash, target, uploaded, attempts, last_error,"
                + " updated_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (run_id, task_id) DO UPDATE"
                + " SET hash = excluded.hash, target = excluded.target, uploaded = excluded.uploaded,"
                + " attempts = excluded.attempts, last_error = excluded.last_error,"
                + " updated_at = excluded.updated_at");
    ps.setString(1, b.runId());
    ps.setString(2, b.taskId());
    ps.setString(3, b.hash());
    ps.setString(4, b.target());
    ps.setInt(5, b.uploaded() ? 1 : 0);
    ps.setInt(6, b.attempts());
    ps.setString(7, b.lastError());
    setTime(ps, 8, b.updatedAt());
    ps.executeUpdate();
  }

  @Override
  public boolean claimCacheKey(String cacheKey, String holder, String replacing, Instant at) {
    boolean[] won = new boolean[1];
    inTransaction(
        () -> {
          PreparedStatement ps =
              statement(
                  "INSERT INTO cache_claims (cache_key, holder, claimed_at) VALUES (?,?,?)"
                      + " ON CONFLICT (cache_key) DO UPDATE SET holder = excluded.holder,"
                      + " claimed_at = excluded.claimed_at"
                      + " WHERE cache_claims.holder IS ? OR cache_claims.holder = ?");
          ps.setString(1, cacheKey);
          ps.setString(2, holder);
          setTime(ps, 3, at);
          ps.setString(4, replacing);
          ps.setString(5, holder);
          won[0] = ps.executeUpdate() == 1;
        });
    return won[0];
  }

  @Override
  public Optional<String> cacheKeyHolder(String cacheKey) {
    return read(
        () -> {
          PreparedStatement ps = statement("SELECT holder FROM cache_claims WHERE cache_key = ?");
          ps.setString(1, cacheKey);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
          }
        });
  }

  @Override
  public void releaseCacheKey(String cacheKey, String holder) {
    inTransaction(
        () -> {
          PreparedStatement ps =
              statement("DELETE FROM cache_claims WHERE cache_key = ? AND holder = ?");
          ps.setString(1, cacheKey);
          ps.setString(2, holder);
          ps.executeUpdate();
        });
  }

  @Override
  public void updateBackup(BackupItem item) {
    inTransaction(() -> upsertBackup(item));
  }

  @Override
  public List<BackupItem> pendingBackups() {
    return queryBackups("SELECT * FROM backups WHERE uploaded = 0 ORDER BY updated_at");
  }

  @Override
  public Optional<BackupItem> backupOf(String runId, String taskId) {
    return queryBackups("SELECT * FROM backups WHERE run_id = ? AND task_id = ?", runId, taskId)
        .stream()
        .findFirst();
  }

  private List<BackupItem> queryBackups(String sql, String... args) {
    return read(
        () -> {
          PreparedStatement ps = statement(sql);
          for (int i = 0; i < args.length; i++) {
            ps.setString(i + 1, args[i]);
          }
          List<BackupItem> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new BackupItem(
                      rs.getString("run_id"),
                      rs.getString("task_id"),
                      rs.getString("hash"),
                      rs.getString("target"),
                      rs.getInt("uploaded") == 1,
                      rs.getInt("attempts"),
                      rs.getString("last_error"),
                      time(rs, "updated_at")));
            }
          }
          return out;
        });
  }

  private void insertArtifacts(List<Artifact> artifacts) throws SQLException {
    if (artifacts.isEmpty()) {
      return;
    }
    PreparedStatement ps =
        statement(
            "INSERT INTO artifacts (hash, run_id, task_id, task_type, path, size_bytes, files,"
                + " created_at, expires_at, code_version) VALUES (?,?,?,?,?,?,?,?,?,?)"
                + " ON CONFLICT (run_id, task_id) DO UPDATE SET hash = excluded.hash,"
                + " task_type = excluded.task_type, path = excluded.path,"
                + " size_bytes = excluded.size_bytes, files = excluded.files,"
                + " created_at = excluded.created_at, expires_at = excluded.expires_at,"
                + " code_version = excluded.code_version,"
                + " deleted_at = NULL");
    PreparedStatement in =
        statement(
            "INSERT INTO artifact_inputs (run_id, task_id, input_hash) VALUES (?,?,?)"
                + " ON CONFLICT DO NOTHING");
    for (Artifact a : artifacts) {
      ps.setString(1, a.hash());
      ps.setString(2, a.runId());
      ps.setString(3, a.taskId());
      ps.setString(4, a.taskType());
      ps.setString(5, a.path());
      ps.setLong(6, a.sizeBytes());
      ps.setInt(7, a.files());
      setTime(ps, 8, a.createdAt());
      setTime(ps, 9, a.expiresAt());
      ps.setString(10, a.codeVersion());
      ps.addBatch();
      for (String input : a.inputs()) {
        in.setString(1, a.runId());
        in.setString(2, a.taskId());
        in.setString(3, input);
        in.addBatch();
      }
    }
    ps.executeBatch();
    in.executeBatch();
  }

  @Override
  public Optional<Artifact> findArtifact(String hashOrPrefix) {
    List<Artifact> found =
        queryArtifacts(
            "SELECT * FROM artifacts WHERE hash >= ? AND hash < ? || 'g'"
                + " ORDER BY created_at, rowid",
            hashOrPrefix,
            hashOrPrefix);
    boolean unique = found.stream().map(Artifact::hash).distinct().count() == 1;
    return unique ? Optional.of(found.get(0)) : Optional.empty();
  }

  @Override
  public Optional<Artifact> artifactOf(String runId, String taskId) {
    return queryArtifacts("SELECT * FROM artifacts WHERE run_id = ? AND task_id = ?", runId, taskId)
        .stream()
        .findFirst();
  }

  @Override
  public List<Artifact> expiredArtifacts(Instant now) {
    return queryArtifacts(
        "SELECT * FROM artifacts WHERE deleted_at IS NULL AND expires_at IS NOT NULL"
            + " AND expires_at <= ? ORDER BY created_at",
        Long.toString(ChronoUnit.MICROS.between(Instant.EPOCH, now)));
  }

  @Override
  public void markArtifactDeleted(Artifact artifact, Instant at) {
    inTransaction(
        () -> {
          PreparedStatement ps =
              statement("UPDATE artifacts SET deleted_at = ? WHERE run_id = ? AND task_id = ?");
          setTime(ps, 1, at);
          ps.setString(2, artifact.runId());
          ps.setString(3, artifact.taskId());
          ps.executeUpdate();
        });
  }

  @Override
  public void pinRun(String runId, boolean pinned) {
    inTransaction(
        () -> {
          PreparedStatement ps = statement("UPDATE runs SET pinned = ? WHERE run_id = ?");
          ps.setInt(1, pinned ? 1 : 0);
          ps.setString(2, runId);
          ps.executeUpdate();
        });
  }

  @Override
  public boolean isPinned(String runId) {
    return read(
        () -> {
          PreparedStatement ps = statement("SELECT pinned FROM runs WHERE run_id = ?");
          ps.setString(1, runId);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getInt(1) == 1;
          }
        });
  }

  @Override
  public List<Artifact> consumersOf(String hash) {
    return queryArtifacts(
        "SELECT a.* FROM artifacts a JOIN artifact_inputs i"
            + " ON i.run_id = a.run_id AND i.task_id = a.task_id"
            + " WHERE i.input_hash = ? ORDER BY a.created_at",
        hash);
  }

  private List<Artifact> queryArtifacts(String sql, String... args) {
    return read(
        () -> {
          PreparedStatement ps = statement(sql);
          for (int i = 0; i < args.length; i++) {
            ps.setString(i + 1, args[i]);
          }
          List<Artifact> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new Artifact(
                      rs.getString("hash"),
                      rs.getString("run_id"),
                      rs.getString("task_id"),
                      rs.getString("task_type"),
                      rs.getString("code_version"),
                      rs.getString("path"),
                      rs.getLong("size_bytes"),
                      rs.getInt("files"),
                      time(rs, "created_at"),
                      List.of(),
                      time(rs, "expires_at")));
            }
          }
          PreparedStatement inputs =
              statement(
                  "SELECT input_hash FROM artifact_inputs WHERE run_id = ? AND task_id = ?"
                      + " ORDER BY input_hash");
          List<Artifact> withInputs = new ArrayList<>();
          for (Artifact a : out) {
            inputs.setString(1, a.runId());
            inputs.setString(2, a.taskId());
            List<String> hashes = new ArrayList<>();
            try (ResultSet rs = inputs.executeQuery()) {
              while (rs.next()) {
                hashes.add(rs.getString(1));
              }
            }
            withInputs.add(
                new Artifact(
                    a.hash(),
                    a.runId(),
                    a.taskId(),
                    a.taskType(),
                    a.codeVersion(),
                    a.path(),
                    a.sizeBytes(),
                    a.files(),
                    a.createdAt(),
                    hashes,
                    a.expiresAt()));
          }
          return withInputs;
        });
  }

  private void insertEvents(List<Event> events) throws SQLException {
    if (events.isEmpty()) {
      return;
    }
    PreparedStatement ps =
        statement(
            "INSERT INTO events (run_id, type, task_id, attempt, at, message)"
                + " VALUES (?,?,?,?,?,?)");
    for (Event e : events) {
      ps.setString(1, e.runId());
      ps.setString(2, e.type().name());
      ps.setString(3, e.taskId());
      ps.setInt(4, e.attempt());
      setTime(ps, 5, e.at());
      ps.setString(6, e.message());
      ps.addBatch();
    }
    ps.executeBatch();
  }

  private static void bindTaskFields(PreparedStatement ps, int first, TaskRunRecord t)
      throws SQLException {
    ps.setString(first, t.state().name());
    ps.setInt(first + 1, t.attempt());
    ps.setInt(first + 2, t.attemptFloor());
    setTime(ps, first + 3, t.startedAt());
    setTime(ps, first + 4, t.endedAt());
    setTime(ps, first + 5, t.nextAttemptAt());
    if (t.exitCode() == null) {
      ps.setNull(first + 6, Types.INTEGER);
    } else {
      ps.setInt(first + 6, t.exitCode());
    }
    ps.setString(first + 7, t.error());
    ps.setString(first + 8, json(t.outputs()));
    ps.setString(first + 9, t.artifact());
    ps.setString(first + 10, t.cacheKey());
  }

  /** Prepared once per connection: parsing SQL costs more than a small write. */
  PreparedStatement statement(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  interface SqlWork {
    void run() throws SQLException;
  }

  interface SqlRead<T> {
    T get() throws SQLException;
  }

  void inTransaction(SqlWork work) {
    lock.lock();
    try {
      try {
        work.run();
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly();
        throw new AlphaflowException("state store " + file + " write failed: " + e.getMessage(), e);
      }
    } finally {
      lock.unlock();
    }
  }

  <T> T read(SqlRead<T> work) {
    lock.lock();
    try {
      T result = work.get();
      connection.commit(); // ends the read transaction so the WAL can be checkpointed
      return result;
    } catch (SQLException e) {
      rollbackQuietly();
      throw new AlphaflowException("state store " + file + " read failed: " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the original error is the one worth reporting
    }
  }

  static void setTime(PreparedStatement ps, int index, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, ChronoUnit.MICROS.between(Instant.EPOCH, t));
    }
  }

  static Instant time(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.EPOCH.plus(v, ChronoUnit.MICROS);
  }

  private static String json(Map<String, String> map) {
    if (map.isEmpty()) {
      return "{}";
    }
    try {
      return JSON.writeValueAsString(map);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, String> map(String json) {
    try {
      return json == null ? Map.of() : JSON.readValue(json, STRING_MAP);
    } catch (JsonProcessingException e) {
      throw new AlphaflowException("corrupt JSON in the state store: " + json, e);
    }
  }
}
