package io.alphaflow.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.alphaflow.core.run.RunRecord;
import io.alphaflow.core.run.TaskRunRecord;
import io.alphaflow.core.store.Store;
import io.alphaflow.core.store.StoreContractTest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteStoreTest extends StoreContractTest {
  @TempDir Path dir;

  @Override
  protected Store newStore() {
    return SqliteStore.open(dir.resolve("nested").resolve("state.db"));
  }

  private static RunRecord aRun(String id) {
    return RunRecord.created(id, "f", null, "name: f", Map.of(), Instant.now());
  }

  @Test
  void theNewestMigrationIsTheOneOpenCompares() throws Exception {
    Path migrations = Path.of("src/main/resources/db/migration/sqlite");
    int newest;
    try (var files = java.nio.file.Files.list(migrations)) {
      newest =
          files
              .map(f -> f.getFileName().toString())
              .filter(n -> n.matches("V\\d+__.*\\.sql"))
              .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__"))))
              .max()
              .orElseThrow();
    }
    assertThat(SqliteStore.LATEST_MIGRATION)
        .as("bump SqliteStore.LATEST_MIGRATION with every new migration")
        .isEqualTo(newest);
  }

  @Test
  void aStoreOfAnOlderVersionIsMigratedOnOpen() throws Exception {
    Path file = dir.resolve("old.db");
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    org.flywaydb.core.Flyway.configure()
        .dataSource(url, null, null)
        .locations("classpath:db/migration/sqlite")
        .target(String.valueOf(SqliteStore.LATEST_MIGRATION - 1))
        .load()
        .migrate();

    SqliteStore.open(file).close();

    try (var c = java.sql.DriverManager.getConnection(url);
        var rs =
            c.createStatement()
                .executeQuery(
                    "SELECT max(CAST(version AS INTEGER)) FROM flyway_schema_history WHERE success")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(SqliteStore.LATEST_MIGRATION);
    }
  }

  @Test
  void dataSurvivesReopeningTheFile() {
    store.createRun(aRun("r1"), List.of(TaskRunRecord.pending("r1", "a")), List.of());
    store.close();

    store = SqliteStore.open(dir.resolve("nested").resolve("state.db"));

    assertThat(store.findRun("r1")).isPresent();
    assertThat(store.taskRuns("r1")).hasSize(1);
  }

  @Test
  void aSecondConnectionSeesCommittedWrites() {
    store.createRun(aRun("r1"), List.of(), List.of());
    try (SqliteStore reader = SqliteStore.open(dir.resolve("nested").resolve("state.db"))) {
      assertThat(reader.recentRuns(5)).extracting(RunRecord::runId).containsExactly("r1");
    }
  }

  @Test
  void manyOpenersRacingOnABrandNewFileAllSucceed() throws Exception {
    Path fresh = dir.resolve("race").resolve("state.db");
    java.util.List<java.util.concurrent.Future<?>> opens = new java.util.ArrayList<>();
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
      for (int i = 0; i < 4; i++) {
        opens.add(pool.submit(() -> SqliteStore.open(fresh).close()));
      }
      for (var f : opens) {
        f.get();
      }
    }
    try (SqliteStore s = SqliteStore.open(fresh)) {
      assertThat(s.recentRuns(1)).isEmpty();
    }
  }
}
