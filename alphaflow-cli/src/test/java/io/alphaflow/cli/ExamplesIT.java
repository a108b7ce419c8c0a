package io.alphaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped seed flows, end to end through the CLI on the embedded store and real DuckDB. */
class ExamplesIT {
  @TempDir Path home;

  private Cli cli() {
    return new Cli(home);
  }

  private static String msft() {
    return "input=" + Cli.repo("examples/data/msft_daily_ohlcv.csv").toAbsolutePath();
  }

  private static String task(JsonNode run, String id, String field) {
    for (JsonNode t : run.get("tasks")) {
      if (t.get("id").asText().equals(id)) {
        return t.get(field).isObject() ? t.get(field).toString() : t.get(field).asText();
      }
    }
    throw new AssertionError("no task " + id + " in " + run);
  }

  /** Seed 000's flow on {@code rows} generated rows, as JSON: it stops at the deployment gate. */
  private static Cli.Result runHft(Cli cli, long rows) {
    return cli.run(
        "run",
        Cli.repo("examples/hft_factor_pipeline.yaml").toString(),
        "--param",
        "rows=" + rows,
        "--json",
        "--quiet");
  }

  @Test
  void hftFactorPipelineWaitsForApprovalThenDeploysAndScoresWithTheChampion() {
    Cli cli = cli();
    Cli.Result parked = runHft(cli, 20000);
    assertThat(parked.exitCode()).as(parked.err()).isZero();
    JsonNode run = parked.json();
    assertThat(run.get("state").asText()).isEqualTo("WAITING");
    assertThat(task(run, "deploy", "state")).isEqualTo("AWAITING_APPROVAL");
    assertThat(task(run, "deploy", "error"))
        .contains("read metrics.json and drift_report.md in " + home.toAbsolutePath())
        .containsPattern(
            "approving makes [0-9a-f]{12} the champion of 'hft_factor' \\(its first\\)");
    assertThat(Double.parseDouble(run.get("tasks").get(6).get("outputs").get("r2").asText()))
        .isGreaterThan(0.2);
    String runId = run.get("run_id").asText();
    // seed 000's data_quality: null rates and every column's correlation with the sell rate
    assertThat(home.resolve("outputs").resolve(runId).resolve("features/feature_metadata.json"))
        .content()
        .contains("\"null_rates\"")
        .containsPattern("\"correlation_with\" : \\{\\s+\"column\" : \"S_LI_INITIATIVESELLRATE\"")
        .containsPattern("\"S_LI_INITIATIVEBUYRATE\" : -?0\\.\\d+");

    Cli.Result approved =
        cli.run(
            "approve", runId, "deploy", "--by", "alice", "--comment", "r2 ok", "--json", "--quiet");

    assertThat(approved.exitCode()).as(approved.out() + approved.err()).isZero();
    JsonNode done = cli.run("status", runId, "--json").json();
    assertThat(done.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(done.get("approvals").get(0).get("by").asText()).isEqualTo("alice");
    Cli.Result champion = cli.run("models", "show", "hft_factor", "champion");
    assertThat(champion.out())
        .contains("champion")
        .contains("promote champion")
        .contains("by alice: r2 ok");
    Path version =
        Path.of(
            cli.run("models", "list", "hft_factor", "--json").json().get(0).get("path").asText());
    assertThat(version.resolve("deployment_manifest.yaml"))
        .content()
        .contains("promoted_by: \"alice\"");
    assertThat(version.resolve("rollback_config.json")).exists();
    assertThat(version.resolve("manifest.json"))
        .content()
        .contains("\"data_hash\"")
        .contains("\"training_window\"")
        .contains("\"code_version\"")
        .contains("\"smile\"");
  }

  /**
   * Without --param input, from a directory other than the project's (the tests run in a module's):
   * the example's default names the data beside it through ${flow.dir}.
   */
  @Test
  void aRejectedDeploymentLeavesTheChampionAloneAndStatusShowsWhoAndWhy() {
    Cli cli = cli();
    JsonNode run =
        cli.run("run", Cli.repo("examples/simple_pipeline.yaml").toString(), "--json", "--quiet")
            .json();
    assertThat(task(run, "ingest", "state")).isEqualTo("SUCCEEDED");
    String runId = run.get("run_id").asText();

    Cli.Result rejected =
        cli.run("reject", runId, "deploy", "--by", "bob", "--comment", "not this week", "--quiet");

    assertThat(rejected.exitCode()).isEqualTo(1);
    Cli.Result status = cli.run("status", runId);
    assertThat(status.out())
        .contains("FAILED")
        .contains("rejected by bob")
        .contains("not this week");
    assertThat(cli.run("models", "show", "msft_simple", "champion").err())
        .contains("has no champion yet");
  }

  @Test
  void factorPipelineKeepsThePreviousModelVisiblyWhenTrainingFails() throws Exception {
    Cli cli = cli();
    Cli.Result first =
        cli.run(
            "run",
            Cli.repo("examples/factor_pipeline.yaml").toString(),
            "--param",
            msft(),
            "--json",
            "--quiet");
    assertThat(first.exitCode()).as(first.err()).isZero();
    // seed 001's outlier handling: volumes held to their past's percentiles
    assertThat(
            home.resolve("outputs")
                .resolve(first.json().get("run_id").asText())
                .resolve("clean/metadata.json"))
        .content()
        .contains("\"over\" : \"past rows\"")
        .containsPattern("\"values_bounded\" : \\{\\s+\"volume\" : [1-9]");
    // the report says, in words, that this model calls days worse than the majority class
    assertThat(
            home.resolve("outputs")
                .resolve(first.json().get("run_id").asText())
                .resolve("report/report.md"))
        .content()
        .contains("- accuracy: 0.4826")
        .contains(
            "The model calls 48.3% of the test rows right; always answering each training window's"
                + " majority class would call 52.9%: the model does worse by 4.7 points.");
    String champion =
        cli.run("models", "list", "msft_direction", "--json").json().get(0).get("version").asText();
    Path broken = home.resolve("broken_factor.yaml");
    Files.writeString(
        broken,
        Files.readString(Cli.repo("examples/factor_pipeline.yaml"))
            .replace("close_vol_20]", "close_vol_99]"));

    Cli.Result second = cli.run("run", broken.toString(), "--param", msft(), "--json", "--quiet");

    assertThat(second.exitCode()).isEqualTo(1);
    JsonNode run = second.json();
    assertThat(run.get("state").asText()).isEqualTo("FAILED");
    assertThat(task(run, "train_or_score", "state")).isEqualTo("FAILED");
    assertThat(task(run, "evaluate", "state")).isEqualTo("UPSTREAM_FAILED");
    assertThat(task(run, "report", "state")).isEqualTo("SUCCEEDED");
    assertThat(task(run, "report", "outputs")).contains("kept_previous_model").contains(champion);
    assertThat(cli.run("models", "show", "msft_direction", "champion").out()).contains(champion);
  }

  @Test
  void idempotentPipelineAsksForReviewOnABreachAndIsFullyCachedTheSecondTime() {
    Cli cli = cli();
    String flow = Cli.repo("examples/idempotent_pipeline.yaml").toString();
    // on real daily returns the ridge model does not beat the mean: R² < 0.5 breaches the gate
    JsonNode first =
        cli.run("run", flow, "--param", msft(), "--param", "min_r2=0.5", "--json", "--quiet")
            .json();
    assertThat(first.get("state").asText()).isEqualTo("WAITING");
    assertThat(task(first, "evaluate", "outputs")).contains("is below the minimum 0.5");
    // and the seed's drift check: the test months' volatility is unlike the training months'
    Path evaluate =
        home.resolve("outputs").resolve(first.get("run_id").asText()).resolve("evaluate");
    assertThat(task(first, "evaluate", "outputs")).containsPattern("max_psi [0-9.]+ is above");
    assertThat(evaluate.resolve("drift_report.md")).content().contains("| close_vol_20 |");
    assertThat(evaluate.resolveSibling("validate").resolve("profile.json"))
        .content()
        .contains("\"close\" : {")
        .contains("\"mean\"");
    // the reviewer is told what approving does and why it was asked
    assertThat(task(first, "package", "error"))
        .contains("required because")
        .containsPattern(
            "approving registers ridge [0-9a-f]{12} as a version of 'msft_next_return'; its"
                + " evaluation's gate did not pass: r2 -?[0-9.]+ is below the minimum 0.5");
    cli.run(
        "approve",
        first.get("run_id").asText(),
        "package",
        "--by",
        "carol",
        "--comment",
        "known regime",
        "--quiet");

    JsonNode second =
        cli.run("run", flow, "--param", msft(), "--param", "min_r2=0.5", "--json", "--quiet")
            .json();

    for (String id :
        new String[] {"ingest", "validate", "clean_features", "label", "train", "evaluate"}) {
      assertThat(task(second, id, "state")).as(id).isEqualTo("SKIPPED_CACHED");
    }
    assertThat(task(second, "package", "error")).contains("(it is one already)");
    cli.run("approve", second.get("run_id").asText(), "package", "--by", "carol", "--quiet");
    // the same data and config give the same model bytes, so the same registry version
    assertThat(cli.run("models", "list", "msft_next_return", "--json").json()).hasSize(1);
    assertThat(
            cli.run("status", second.get("run_id").asText(), "--json").json().get("state").asText())
        .isEqualTo("SUCCEEDED");

    // a looser gate recomputes the gate, not the data and the model
    JsonNode looser = withoutBreach(cli, msft());
    for (String id : new String[] {"ingest", "validate", "clean_features", "label", "train"}) {
      assertThat(task(looser, id, "state")).as(id).isEqualTo("SKIPPED_CACHED");
    }
    assertThat(task(looser, "evaluate", "state")).isEqualTo("SUCCEEDED");
    assertThat(looser.get("state").asText()).isEqualTo("SUCCEEDED");
    // the seed's deliverable report carries the drift table too
    assertThat(
            home.resolve("outputs")
                .resolve(looser.get("run_id").asText())
                .resolve("report/report.md"))
        .content()
        .contains("## Out-of-sample metrics")
        .contains("max_psi: ")
        .contains("## Drift")
        .contains("| close_vol_20 |");
  }

  /** Seed 002's flow on {@code input} with gates loose enough that nothing asks for review. */
  private static JsonNode withoutBreach(Cli cli, String input) {
    return cli.run(
            "run",
            Cli.repo("examples/idempotent_pipeline.yaml").toString(),
            "--param",
            input,
            "--param",
            "min_r2=-1",
            "--param",
            "max_psi=100",
            "--json",
            "--quiet")
        .json();
  }

  /**
   * Seed 002's parse errors: a line of the vendor file that does not read goes to ingest's
   * rejected.parquet and the run goes on with the rest.
   */
  @Test
  void idempotentPipelineQuarantinesALineItCannotReadAndGoesOn() throws Exception {
    Path source = Cli.repo("examples/data/msft_daily_ohlcv.csv");
    List<String> lines = new ArrayList<>(Files.readAllLines(source));
    lines.set(100, lines.get(100).replaceFirst(",[^,]+,", ",n/a,")); // an open that is no number
    Path vendor = Files.write(home.resolve("vendor.csv"), lines);
    Cli cli = cli();

    JsonNode run = withoutBreach(cli, "input=" + vendor);

    assertThat(run.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(task(run, "ingest", "outputs")).contains("\"rejected\":\"1\"");
    assertThat(task(run, "validate", "outputs")).contains("\"rows\":\"248\"");
    Path rejected =
        home.resolve("outputs")
            .resolve(run.get("run_id").asText())
            .resolve("ingest/rejected.parquet");
    assertThat(rejected).exists();
  }

  @Test
  void promoteThenRollbackThroughTheCli() {
    Cli cli = cli();
    for (long rows : new long[] {20000, 30000}) {
      String runId = runHft(cli, rows).json().get("run_id").asText();
      assertThat(cli.run("approve", runId, "deploy", "--by", "alice", "--quiet").exitCode())
          .isZero();
    }
    JsonNode versions = cli.run("models", "list", "hft_factor", "--json").json();
    String older = versions.get(0).get("version").asText();
    String newer = versions.get(1).get("version").asText();
    assertThat(versions.get(1).get("aliases").toString()).contains("champion");

    Cli.Result diff = cli.run("models", "diff", older.substring(0, 10), "hft_factor@champion");
    Cli.Result back =
        cli.run("models", "rollback", "hft_factor", "--by", "dave", "--comment", "drift alarm");
    Cli.Result again = cli.run("models", "rollback", "hft_factor", "--by", "dave");

    assertThat(diff.out()).contains("r2").contains("rmse").doesNotContain("not alike");
    // the two runs trained on more or less generated data: what tells the versions apart
    assertThat(diff.out())
        .containsPattern("TRAINED WITH +" + older.substring(0, 12) + " +" + newer.substring(0, 12))
        .containsPattern("training_window +2023-01-01 \\S+ to 2023-01-\\d\\d \\S+ +2023")
        .contains("data_hash")
        .doesNotContain("seed ");
    // counts as whole numbers: the two runs tested on 4,000 and 6,000 rows
    assertThat(diff.out().lines().filter(l -> l.startsWith("rows ")).findFirst().orElseThrow())
        .matches("rows +4000 +6000 +\\+2000");
    assertThat(back.exitCode()).isZero();
    assertThat(back.out())
        .contains(
            "champion of 'hft_factor' rolled back to "
                + older.substring(0, 12)
                + " (was "
                + newer.substring(0, 12)
                + "), by dave");
    assertThat(cli.run("models", "show", "hft_factor", "champion").out())
        .contains(older)
        .contains("rollback champion -> " + older.substring(0, 12) + " by dave: drift alarm")
        // one metric a line, as diff shows them, and the window as a span
        .containsPattern("\n    rows: 4000\n    r2: 0\\.\\d{4}\n")
        .containsPattern("training_window: 2023-01-01 \\S+ to 2023-01-\\d\\d ");
    assertThat(again.exitCode()).isEqualTo(2);
    Cli.Result noAlias = cli.run("models", "diff", older, "hft_factor@challenger");
    assertThat(noAlias.exitCode()).isEqualTo(2);
    assertThat(noAlias.err()).contains("hft_factor").contains("challenger");
    // a misspelt alias would move a name nothing reads and leave the champion where it was
    Cli.Result stray =
        cli.run("models", "promote", "hft_factor", newer, "--by", "eve", "--alias", "champoin");
    assertThat(stray.exitCode()).isEqualTo(2);
    assertThat(stray.err())
        .contains("unknown alias 'champoin': a model's aliases are champion and challenger")
        .contains("did you mean 'champion'?");
    Cli.Result blank = cli.run("models", "diff", older, "hft_factor@");
    assertThat(blank.exitCode()).isEqualTo(2);
    assertThat(blank.err()).contains("no version of model 'hft_factor' given");
    for (List<String> typo :
        List.of(
            List.of("models", "show", "hft_factr", "champion"),
            List.of("models", "list", "hft_factr"),
            List.of("models", "rollback", "hft_factr", "--by", "dave"))) {
      Cli.Result r = cli.run(typo.toArray(String[]::new));
      assertThat(r.exitCode()).as(typo.toString()).isEqualTo(2);
      assertThat(r.err())
          .contains("no model 'hft_factr' is registered: did you mean 'hft_factor'?")
          .contains("(models: hft_factor)");
    }
    assertThat(again.err()).contains("no earlier champion");
  }

  @Test
  void pruningDeletesOldVersionsFilesAndKeepsTheirRecords() throws Exception {
    Cli cli = cli();
    String firstRun = null;
    for (long rows : new long[] {20000, 30000}) {
      String runId = runHft(cli, rows).json().get("run_id").asText();
      firstRun = firstRun == null ? runId : firstRun;
      assertThat(cli.run("approve", runId, "deploy", "--by", "alice", "--quiet").exitCode())
          .isZero();
    }
    JsonNode versions = cli.run("models", "list", "hft_factor", "--json").json();
    String older = versions.get(0).get("version").asText();
    Path olderDir = Path.of(versions.get(0).get("path").asText());
    long modelBytes =
        Files.size(olderDir.resolve("model.bin"))
            + Files.size(olderDir.resolve("predictions.parquet"));

    Cli.Result unsigned = cli.run("models", "prune", "hft_factor", "--keep", "0");
    // a version a flow's score pins by name is kept when named
    JsonNode pinned =
        cli.run(
                "models",
                "prune",
                "hft_factor",
                "--keep",
                "0",
                "--keep-version",
                older.substring(0, 8),
                "--dry-run",
                "--json")
            .json();
    assertThat(pinned.get("versions").get(1).get("action").asText()).isEqualTo("kept");
    assertThat(pinned.get("freed_bytes").asLong()).isZero();
    Cli.Result unknown =
        cli.run("models", "prune", "hft_factor", "--keep-version", "nope", "--by", "ops");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("has no version 'nope'");
    assertThat(olderDir.resolve("model.bin")).exists();
    JsonNode dry =
        cli.run("models", "prune", "hft_factor", "--keep", "0", "--dry-run", "--json").json();
    Cli.Result pruned = cli.run("models", "prune", "hft_factor", "--keep", "0", "--by", "ops");

    assertThat(unsigned.exitCode()).isEqualTo(2);
    assertThat(unsigned.err()).contains("say who does it with --by NAME");
    assertThat(dry.get("freed_bytes").asLong()).isEqualTo(modelBytes);
    assertThat(dry.get("versions").get(0).get("why").asText()).isEqualTo("the champion");
    assertThat(dry.get("versions").get(1).get("action").asText()).isEqualTo("pruned");
    assertThat(pruned.exitCode()).as(pruned.err()).isZero();
    assertThat(pruned.out())
        .contains("pruned  " + older.substring(0, 12))
        .contains("freed " + modelBytes + " bytes");
    assertThat(olderDir.resolve("model.bin")).doesNotExist();
    assertThat(olderDir.resolve("manifest.json")).exists();
    assertThat(cli.run("models", "list", "hft_factor").out()).contains("pruned").contains("all");
    JsonNode listed = cli.run("models", "list", "hft_factor", "--json").json();
    assertThat(listed.get(0).get("pruned").get("by").asText()).isEqualTo("ops");
    assertThat(listed.get(1).get("pruned").isNull()).isTrue();
    assertThat(cli.run("models", "show", "hft_factor", older.substring(0, 12)).out())
        .contains("(pruned on ")
        .contains(" by ops: [model.bin, predictions.parquet] deleted");
    // what needs the files says so, rather than failing on a missing file
    Cli.Result rollback = cli.run("models", "rollback", "hft_factor", "--by", "dave");
    assertThat(rollback.exitCode()).isEqualTo(2);
    assertThat(rollback.err())
        .contains("cannot roll back the champion: version " + older.substring(0, 12))
        .contains("was pruned on");
    Path features = home.resolve("outputs").resolve(firstRun).resolve("features");
    Cli.Result scored =
        standalone("score", features, "s", "name: hft_factor\nversion: " + older + "\n");
    assertThat(scored.exitCode()).isEqualTo(1);
    assertThat(scored.out() + scored.err()).contains("its model file is gone");
  }

  @Test
  void demoStopsAtTheDeploymentGateUnlessToldToApproveIt() {
    System.setProperty("alphaflow.install", Cli.repo(".").toAbsolutePath().toString());
    Cli cli = cli();
    Cli.Result waiting = cli.run("demo", "--rows", "20000");
    Cli.Result approved = cli.run("demo", "--rows", "20000", "--auto-approve");

    assertThat(waiting.exitCode()).isZero();
    assertThat(waiting.out()).contains("(WAITING)").contains("alphaflow approve");
    // the summary says what approving would do, beside the command that does it
    assertThat(waiting.out().substring(waiting.out().indexOf("summary of run")))
        .containsPattern(
            "  request: approval required: read metrics.json and drift_report.md in \\S+ first;"
                + " approving makes [0-9a-f]{12} the champion of 'hft_factor' \\(its first\\)");
    assertThat(approved.exitCode()).as(approved.err()).isZero();
    assertThat(approved.out())
        .contains("(SUCCEEDED)")
        .contains("approved by demo --auto-approve")
        .contains("r2=")
        .contains("models      :");
    // one table, the summary, however many parts the run went through (waiting, then resumed)
    assertThat(approved.out().lines().filter(l -> l.startsWith("TASK ")).count()).isOne();
    assertThat(waiting.out().lines().filter(l -> l.startsWith("TASK ")).count()).isOne();
    assertThat(approved.out().substring(approved.out().indexOf("summary of run")))
        .contains("approval: deploy approved by demo --auto-approve");
    // the command it suggests names the flow where the user can open it
    String graph =
        approved.out().lines().filter(l -> l.startsWith("next")).findFirst().orElseThrow();
    assertThat(Path.of(graph.substring(graph.indexOf("alphaflow graph ") + 16).strip())).exists();
  }

  @Test
  void standaloneRegisterPromoteAndScoreWorkOnTheRegistryOfHome() throws Exception {
    Cli cli = cli();
    Cli.Result parked = runHft(cli, 20000);
    Path outputs = home.resolve("outputs").resolve(parked.json().get("run_id").asText());

    Cli.Result registered =
        standalone("register", outputs.resolve("train"), "r", "name: by_hand\n");
    assertThat(registered.exitCode()).as(registered.err()).isZero();
    JsonNode versions = cli.run("models", "list", "by_hand", "--json").json();
    assertThat(versions).hasSize(1);
    String version = versions.get(0).get("version").asText();
    Cli.Result promoted =
        standalone("promote", null, "p", "name: by_hand\nversion: " + version + "\nby: carol\n");
    Cli.Result scored = standalone("score", outputs.resolve("features"), "s", "name: by_hand\n");

    assertThat(promoted.exitCode()).as(promoted.err()).isZero();
    assertThat(cli.run("models", "show", "by_hand", "champion").out())
        .contains(version)
        .contains("promote champion")
        .contains("by carol");
    assertThat(scored.exitCode()).as(scored.err()).isZero();
    assertThat(scored.out()).contains("version=" + version).contains("rows_scored=19996");
    assertThat(home.resolve("s/data.parquet")).exists();
  }

  @Test
  void taskTrainRefusesAShuffledSplitAndAnUnknownModelType() throws Exception {
    Path cfg = Files.writeString(home.resolve("t.yaml"), "split: {method: shuffle}\n");
    Cli.Result r = taskTrain("--config", cfg.toString());
    Cli.Result kind = taskTrain("--model-type", "clustering");

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("a shuffled split is refused").contains("walk_forward");
    assertThat(kind.exitCode()).isEqualTo(2);
    assertThat(kind.err()).contains("regression or classification");
  }

  /**
   * {@code alphaflow task TYPE} on this test's home with {@code config}, reading {@code input}
   * (none when null), writing to the directory {@code output} under the home.
   */
  private Cli.Result standalone(String type, Path input, String output, String config)
      throws java.io.IOException {
    List<String> args = new ArrayList<>(List.of("task", type));
    if (input != null) {
      args.addAll(List.of("--input", input.toString()));
    }
    args.addAll(List.of("--output", home.resolve(output).toString()));
    Path file = Files.writeString(home.resolve(type + ".yaml"), config);
    args.addAll(List.of("--config", file.toString()));
    return cli().run(args.toArray(String[]::new));
  }

  /** {@code alphaflow task train} on this test's home, with {@code extra} arguments. */
  private Cli.Result taskTrain(String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "task",
                "train",
                "--input",
                home.toString(),
                "--output",
                home.resolve("o").toString()));
    args.addAll(List.of(extra));
    return cli().run(args.toArray(String[]::new));
  }
}
