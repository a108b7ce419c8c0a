package io.alphaflow.store.sqlite;

import io.alphaflow.core.approval.Approval;
import io.alphaflow.core.approval.Decision;
import io.alphaflow.core.model.AliasMove;
import io.alphaflow.core.model.ModelVersion;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The approvals and model registry tables of a {@link SqliteStore}, on its connection. */
final class RegistryTables {
  private final SqliteStore db;

  RegistryTables(SqliteStore db) {
    this.db = db;
  }

  boolean decide(Approval a) {
    boolean[] won = new boolean[1];
    db.inTransaction(
        () -> {
          PreparedStatement ps =
              db.statement(
                  "INSERT INTO approvals (run_id, task_id, decision, decided_by, comment,"
                      + " decided_at) VALUES (?,?,?,?,?,?) ON CONFLICT (run_id, task_id) DO NOTHING");
          ps.setString(1, a.runId());
          ps.setString(2, a.taskId());
          ps.setString(3, a.decision().name());
          ps.setString(4, a.by());
          ps.setString(5, a.comment());
          SqliteStore.setTime(ps, 6, a.at());
          won[0] = ps.executeUpdate() == 1;
        });
    return won[0];
  }

  /** A run's decisions, or only the one on {@code taskId} when it is not null. */
  List<Approval> approvals(String runId, String taskId) {
    return db.read(
        () -> {
          PreparedStatement ps =
              db.statement(
                  "SELECT * FROM approvals WHERE run_id = ? AND (? IS NULL OR task_id = ?)"
                      + " ORDER BY decided_at");
          ps.setString(1, runId);
          ps.setString(2, taskId);
          ps.setString(3, taskId);
          List<Approval> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new Approval(
                      rs.getString("run_id"),
                      rs.getString("task_id"),
                      Decision.valueOf(rs.getString("decision")),
                      rs.getString("decided_by"),
                      rs.getString("comment"),
                      SqliteStore.time(rs, "decided_at")));
            }
          }
          return out;
        });
  }

  boolean registerModel(ModelVersion v) {
    boolean[] added = new boolean[1];
    db.inTransaction(
        () -> {
          PreparedStatement ps =
              db.statement(
                  "INSERT INTO model_versions (name, version, path, manifest, run_id, task_id,"
                      + " created_at) VALUES (?,?,?,?,?,?,?) ON CONFLICT (name, version) DO NOTHING");
          ps.setString(1, v.name());
          ps.setString(2, v.version());
          ps.setString(3, v.path());
          ps.setString(4, v.manifest());
          ps.setString(5, v.runId());
          ps.setString(6, v.taskId());
          SqliteStore.setTime(ps, 7, v.createdAt());
          added[0] = ps.executeUpdate() == 1;
        });
    return added[0];
  }

  List<ModelVersion> versions(String name, String prefix) {
    return db.read(
        () -> {
          PreparedStatement ps =
              db.statement(
                  "SELECT * FROM model_versions WHERE name = ? AND substr(version, 1, ?) = ?"
                      + " ORDER BY created_at, version");
          ps.setString(1, name);
          ps.setInt(2, prefix.length());
          ps.setString(3, prefix);
          List<ModelVersion> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new ModelVersion(
                      rs.getString("name"),
                      rs.getString("version"),
                      rs.getString("path"),
                      rs.getString("manifest"),
                      rs.getString("run_id"),
                      rs.getString("task_id"),
                      SqliteStore.time(rs, "created_at")));
            }
          }
          return out;
        });
  }

  List<String> names() {
    return db.read(
        () -> {
          List<String> out = new ArrayList<>();
          try (ResultSet rs =
              db.statement("SELECT DISTINCT name FROM model_versions ORDER BY name")
                  .executeQuery()) {
            while (rs.next()) {
              out.add(rs.getString(1));
            }
          }
          return out;
        });
  }

  Optional<String> alias(String name, String alias) {
    return db.read(
        () -> {
          PreparedStatement ps =
              db.statement("SELECT version FROM model_aliases WHERE name = ? AND alias = ?");
          ps.setString(1, name);
          ps.setString(2, alias);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
          }
        });
  }

  boolean moveAlias(AliasMove m) {
    boolean[] moved = new boolean[1];
    db.inTransaction(
        () -> {
          PreparedStatement ps;
          if (m.previous() == null) {
            ps =
                db.statement(
                    "INSERT INTO model_aliases (name, alias, version) VALUES (?,?,?)"
                        + " ON CONFLICT (name, alias) DO NOTHING");
            ps.setString(1, m.name());
            ps.setString(2, m.alias());
            ps.setString(3, m.version());
          } else {
            ps =
                db.statement(
                    "UPDATE model_aliases SET version = ? WHERE name = ? AND alias = ? AND version = ?");
            ps.setString(1, m.version());
            ps.setString(2, m.name());
            ps.setString(3, m.alias());
            ps.setString(4, m.previous());
          }
          moved[0] = ps.executeUpdate() == 1;
          if (moved[0]) {
            PreparedStatement log =
                db.statement(
                    "INSERT INTO model_alias_moves (name, alias, version, previous, action,"
                        + " moved_by, reason, moved_at) VALUES (?,?,?,?,?,?,?,?)");
            log.setString(1, m.name());
            log.setString(2, m.alias());
            log.setString(3, m.version());
            log.setString(4, m.previous());
            log.setString(5, m.action());
            log.setString(6, m.by());
            log.setString(7, m.reason());
            SqliteStore.setTime(log, 8, m.at());
            log.executeUpdate();
          }
        });
    return moved[0];
  }

  List<AliasMove> history(String name) {
    return db.read(
        () -> {
          PreparedStatement ps =
              db.statement("SELECT * FROM model_alias_moves WHERE name = ? ORDER BY seq");
          ps.setString(1, name);
          List<AliasMove> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(
                  new AliasMove(
                      rs.getString("name"),
                      rs.getString("alias"),
                      rs.getString("version"),
                      rs.getString("previous"),
                      rs.getString("action"),
                      rs.getString("moved_by"),
                      rs.getString("reason"),
                      SqliteStore.time(rs, "moved_at")));
            }
          }
          return out;
        });
  }
}
