package io.alphaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups to a real S3 API on loopback (S3Proxy over a directory), an outage included. */
class BackupIT {
  @TempDir Path dir;
  private BlobStore blobs;
  private S3Proxy proxy;
  private int port;
  private Cli cli;

  @BeforeEach
  void startObjectStore() throws Exception {
    Properties p = new Properties();
    Path base = Files.createDirectories(dir.resolve("s3"));
    p.setProperty("jclouds.filesystem.basedir", base.toString());
    blobs =
        ContextBuilder.newBuilder("filesystem")
            .overrides(p)
            .build(BlobStoreContext.class)
            .getBlobStore();
    blobs.createContainerInLocation(null, "backups");
    proxy = start(0);
    port = proxy.getPort();
    System.setProperty("alphaflow.s3.endpoint", "http://127.0.0.1:" + port);
    System.setProperty("alphaflow.s3.access_key", "access");
    System.setProperty("alphaflow.s3.secret_key", "secret");
    cli = new Cli(dir.resolve(".alphaflow"));
  }

  private S3Proxy start(int onPort) throws Exception {
    S3Proxy s3 =
        S3Proxy.builder()
            .blobStore(blobs)
            .endpoint(URI.create("http://127.0.0.1:" + onPort))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret")
            .build();
    s3.start();
    for (int i = 0; i < 500 && !s3.getState().equals("STARTED"); i++) {
      Thread.sleep(10);
    }
    return s3;
  }

  @AfterEach
  void stop() throws Exception {
    proxy.stop();
    System.clearProperty("alphaflow.s3.endpoint");
    System.clearProperty("alphaflow.s3.access_key");
    System.clearProperty("alphaflow.s3.secret_key");
  }

  private Path flow() throws Exception {
    return Files.writeString(
        dir.resolve("backed.yaml"),
        """
        name: backed_up
        tasks:
          - id: prices
            type: shell
            backup: s3://backups/daily
            config: {command: ["sh", "-c", 'echo "date,close" > "$ALPHAFLOW_OUTPUT_DIR/prices.csv"; echo "$ALPHAFLOW_RUN_ID" >> "$ALPHAFLOW_OUTPUT_DIR/prices.csv"']}
        """);
  }

  @Test
  void checkpointedFilesAreCopiedAndCanBeRestored() throws Exception {
    JsonNode run = cli.run("run", flow().toString(), "--json").json();
    String runId = run.get("run_id").asText();
    assertThat(run.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(cli.run("backup", "list").out()).contains("no uploads queued");

    Path out = dir.resolve(".alphaflow/outputs").resolve(runId).resolve("prices");
    String original = Files.readString(out.resolve("prices.csv"));
    io.alphaflow.core.artifact.Checkpoints.deleteTree(out);

    Cli.Result restored = cli.run("restore", runId + "/prices");

    assertThat(restored.exitCode()).as(restored.err()).isZero();
    assertThat(out.resolve("prices.csv")).hasContent(original.strip());
    assertThat(out.resolve(".ok")).exists();
    String hash =
        cli.run("status", runId, "--json").json().get("tasks").get(0).get("artifact").asText();
    Cli.Result byHash =
        cli.run("restore", hash.substring(0, 10), "--to", dir.resolve("by-hash").toString());
    assertThat(byHash.exitCode()).as(byHash.err()).isZero();
    assertThat(dir.resolve("by-hash/prices.csv")).hasContent(original.strip());
  }

  /** A label holds its column alone: restoring it without the data it labels says so. */
  @Test
  void restoringALabelWithoutItsInputNamesTheMissingFile() throws Exception {
    Path f =
        Files.writeString(
            dir.resolve("label.yaml"),
            """
            name: labelled
            tasks:
              - {id: ingest, type: ingest, config: {path: "%s", timestamp_column: date}}
              - {id: label, type: label, depends_on: [ingest], backup: s3://backups/daily,
                 config: {input: "${tasks.ingest.output_dir}", column: close}}
            """
                .formatted(Cli.repo("examples/data/msft_daily_ohlcv.csv")));
    String runId = cli.run("run", f.toString(), "--json").json().get("run_id").asText();
    Path outputs = dir.resolve(".alphaflow/outputs").resolve(runId);
    io.alphaflow.core.artifact.Checkpoints.deleteTree(outputs.resolve("label"));
    io.alphaflow.core.artifact.Checkpoints.deleteTree(outputs.resolve("ingest"));

    Cli.Result restored = cli.run("restore", runId + "/label");

    assertThat(restored.exitCode()).as(restored.err()).isZero();
    assertThat(outputs.resolve("label/data.parquet")).exists();
    assertThat(restored.out())
        .contains(
            "note: these files add columns to the rows of "
                + outputs.resolve("ingest/data.parquet").toAbsolutePath())
        .contains("restore the task that wrote it too");
  }

  @Test
  void anOutageQueuesTheUploadAlertsAndAFlushUploadsItLater() throws Exception {
    proxy.stop();

    Cli.Result run = cli.run("run", flow().toString(), "--json");

    assertThat(run.exitCode()).as("the pipeline does not fail").isZero();
    String runId = run.json().get("run_id").asText();
    JsonNode queued = cli.run("backup", "list", "--json").json();
    assertThat(queued).hasSize(1);
    assertThat(queued.get(0).get("last_error").asText()).isNotEmpty();
    assertThat(cli.run("logs", runId).out()).contains("SYSTEM_ALERT").contains("kept queued");
    assertThat(cli.run("backup", "flush").exitCode()).as("still down").isEqualTo(1);

    proxy = start(port);
    Cli.Result flush = cli.run("backup", "flush");

    assertThat(flush.exitCode()).as(flush.out() + flush.err()).isZero();
    assertThat(flush.out()).contains("1 uploaded, 0 still queued");
    assertThat(
            cli.run("restore", runId + "/prices", "--to", dir.resolve("copy").toString())
                .exitCode())
        .isZero();
    assertThat(dir.resolve("copy/prices.csv")).content().contains(runId);
  }
}
