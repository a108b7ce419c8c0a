package io.alphaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as scripts and people use it: real SQLite file, real processes, real exit codes. */
class CliIT {
  @TempDir Path dir;
  private Cli cli;

  @BeforeEach
  void setUp() {
    cli = new Cli(dir.resolve(".alphaflow"));
  }

  private Path flow(String name, String yaml) throws Exception {
    Path f = dir.resolve(name);
    Files.writeString(f, yaml);
    return f;
  }

  /** {@code alphaflow task TYPE --input IN --output OUT --config CONFIG [extra...]}. */
  private Cli.Result task(String type, Path input, Path output, Path config, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "task",
                type,
                "--input",
                input.toString(),
                "--output",
                output.toString(),
                "--config",
                config.toString()));
    args.addAll(List.of(extra));
    return cli.run(args.toArray(String[]::new));
  }

  @Test
  void statusAndLogsWithoutARunShowTheNewestOrSayThereIsNone() {
    Cli.Result none = cli.run("status");
    assertThat(none.exitCode()).isEqualTo(2);
    assertThat(none.err()).contains("no runs yet in").contains("alphaflow run");

    cli.run("run", Cli.repo("examples/hello.yaml").toString(), "--param", "n=1");
    String newest =
        cli.run("run", Cli.repo("examples/hello.yaml").toString(), "--param", "n=2", "--json")
            .json()
            .get("run_id")
            .asText();
    JsonNode status = cli.run("status", "--json").json();
    assertThat(status.get("run_id").asText()).isEqualTo(newest);
    assertThat(status.get("params").get("n").asText()).isEqualTo("2");
    assertThat(cli.run("logs").out())
        .as("the newest run's events")
        .contains("TASK_COMPLETED  load")
        .isEqualTo(cli.run("logs", newest).out());
  }

  @Test
  void helloRunsAndItsStatusAndLogsAreQueryable() {
    Cli.Result run =
        cli.run("run", Cli.repo("examples/hello.yaml").toString(), "--param", "n=7", "--json");

    assertThat(run.exitCode()).as(run.err()).isZero();
    JsonNode json = run.json();
    String runId = json.get("run_id").asText();
    assertThat(json.get("state").asText()).isEqualTo("SUCCEEDED");

    JsonNode status = cli.run("status", runId, "--json").json();
    assertThat(status.get("run_id").asText()).isEqualTo(runId);
    assertThat(status.get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(status.get("tasks"))
        .extracting(t -> t.get("id").asText())
        .containsExactly("extract", "transform", "load");
    assertThat(status.get("tasks"))
        .allSatisfy(
            t -> {
              assertThat(t.get("state").asText()).isEqualTo("SUCCEEDED");
              assertThat(t.get("attempts").asInt()).isEqualTo(1);
            });
    assertThat(status.get("params").get("n").asText()).isEqualTo("7");

    Cli.Result logs = cli.run("logs", runId, "extract");
    assertThat(logs.out()).contains("extracting 7");
    assertThat(cli.run("logs", runId).out()).contains("TASK_COMPLETED  load");
    assertThat(dir.resolve(".alphaflow/logs").resolve(runId).resolve("events.jsonl")).exists();

    String text = cli.run("status", runId).out();
    assertThat(text).contains("SUCCEEDED").contains("extract").contains("ATTEMPTS");
  }

  @Test
  void anApprovalThatExpiredWhileTheRunWasParkedIsShownAsExpiredAndResumeRejectsIt()
      throws Exception {
    Path f =
        flow(
            "gate.yaml",
            """
            name: gate
            tasks:
              - {id: deploy, type: noop, approval: {timeout: 1s, message: "look at the P&L first"}}
            """);
    String runId = cli.run("run", f.toString(), "--json").json().get("run_id").asText();
    assertThat(cli.run("status", runId).out())
        .contains("waiting: deploy (rejected if undecided")
        .contains("\n  request: approval required: look at the P&L first\n  approve: ")
        // the commands it suggests reach this run's store, not the default one
        .contains(
            "alphaflow approve " + runId + " deploy --home " + dir.resolve(".alphaflow") + " --by");

    Thread.sleep(1_100);

    assertThat(cli.run("status", runId).out())
        .contains("expired: deploy had no decision by")
        .contains("alphaflow resume " + runId)
        .doesNotContain("alphaflow approve");
    Cli.Result late = cli.run("approve", runId, "deploy", "--by", "alice");
    assertThat(late.exitCode()).as(late.err()).isEqualTo(2);
    assertThat(late.err()).contains("expired").contains("resume the run");
    Cli.Result resumed = cli.run("resume", runId);
    assertThat(resumed.exitCode()).isEqualTo(1);
    assertThat(cli.run("status", runId).out())
        .contains("FAILED")
        .contains("approval: deploy rejected by timeout");
  }

  @Test
  void failedRunExitsOneAndSaysWhatFailed() throws Exception {
    Path f =
        flow(
            "fail.yaml",
            """
            name: fail
            tasks:
              - id: boom
                type: shell
                retry: {max_attempts: 2, base_delay: 10ms}
                config: {command: ["sh", "-c", "echo 'disk full' >&2; exit 4"]}
              - {id: after, type: noop, depends_on: [boom]}
            """);
    Cli.Result r = cli.run("run", f.toString(), "--json");

    assertThat(r.exitCode()).isEqualTo(1);
    JsonNode json = r.json();
    assertThat(json.get("state").asText()).isEqualTo("FAILED");
    JsonNode boom = json.get("tasks").get(0);
    assertThat(boom.get("attempts").asInt()).isEqualTo(2);
    assertThat(boom.get("exit_code").asInt()).isEqualTo(4);
    assertThat(boom.get("error").asText())
        .isEqualTo(
            "task 'boom' failed on attempt 2 of 2: command exited with code 4 (last output: disk full)");
    assertThat(json.get("tasks").get(1).get("state").asText()).isEqualTo("UPSTREAM_FAILED");
  }

  @Test
  void brokenFlowIsRefusedWithEveryProblemAndExitTwo() {
    Cli.Result r = cli.run("validate", Cli.repo("flows/broken.yaml").toString());

    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err())
        .contains("broken.yaml:9:11: unknown task type 'shel'")
        .contains("did you mean 'shell'")
        .contains("unknown field 'prioritty'")
        .contains("bad duration '5 minutes'")
        .contains("dependency cycle: transform -> load -> transform")
        .contains("depends on missing task 'publish'")
        .contains("unknown param 'dat'")
        .contains("duplicate task id 'load'")
        .doesNotContain("Exception")
        .doesNotContain("\tat ");
    assertThat(cli.run("run", Cli.repo("flows/broken.yaml").toString()).exitCode()).isEqualTo(2);
  }

  @Test
  void validateJsonListsProblemsWithLines() {
    JsonNode json = cli.run("validate", Cli.repo("flows/broken.yaml").toString(), "--json").json();
    assertThat(json.get("valid").asBoolean()).isFalse();
    assertThat(json.get("problems"))
        .allSatisfy(p -> assertThat(p.get("line").asInt()).isPositive());
  }

  @Test
  void badParamsAndUnknownRunsAreUsageErrors() throws Exception {
    Cli.Result bad =
        cli.run("run", Cli.repo("examples/hello.yaml").toString(), "--param", "n=three");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("param 'n' = 'three' is not a int");

    Cli.Result unknown = cli.run("status", "no-such-run");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err())
        .contains("no run 'no-such-run'")
        .contains("(the store of " + dir.resolve(".alphaflow"))
        .contains("a run started with another --home or --settings is in that store");

    assertThat(cli.run("run", "missing.yaml").err()).contains("no flow file at missing.yaml");

    // a value a task's type refuses is refused before the run, and validate says so too
    String train =
        flow(
                "sweep.yaml",
                """
                name: sweep
                params: {model: {type: string, default: ridge}}
                tasks:
                  - {id: gen, type: synthetic_orderflow, config: {rows: 100}}
                  - {id: train, type: train, depends_on: [gen], config: {input: "${tasks.gen.output_dir}", model: {type: "${params.model}"}}}
                """)
            .toString();
    Cli.Result rigde = cli.run("run", train, "--param", "model=rigde");
    Cli.Result checked = cli.run("validate", train, "--param", "model=rigde");
    for (Cli.Result r : List.of(rigde, checked)) {
      assertThat(r.exitCode()).isEqualTo(2);
      assertThat(r.err()).contains("with the params given: model.type: unknown model type 'rigde'");
    }
    assertThat(cli.run("runs").out()).doesNotContain("sweep");
    assertThat(cli.run("validate", train, "--param", "model=lasso").exitCode()).isZero();
    assertThat(cli.run("frobnicate").exitCode()).isEqualTo(2);
  }

  @Test
  void runsListsNewestFirst() {
    String first =
        cli.run("run", Cli.repo("examples/hello.yaml").toString(), "--json")
            .json()
            .get("run_id")
            .asText();
    String second =
        cli.run("run", Cli.repo("examples/hello.yaml").toString(), "--json")
            .json()
            .get("run_id")
            .asText();

    JsonNode runs = cli.run("runs", "--json").json();
    assertThat(runs).extracting(r -> r.get("run_id").asText()).containsExactly(second, first);
    assertThat(runs.get(0).get("flow").asText()).isEqualTo("hello");
    assertThat(runs.get(0).get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(cli.run("runs").out()).contains(first).contains(second);
  }

  @Test
  void runsNarrowByFlowAndStateAndNameWhatTheyDoNotKnow() throws Exception {
    Path failing =
        Files.writeString(
            dir.resolve("failing.yaml"),
            "name: failing\ndefaults: {retry: {max_attempts: 1}}\ntasks:\n"
                + "  - {id: boom, type: shell, config: {command: [sh, -c, 'exit 3']}}\n");
    String hello =
        cli.run("run", Cli.repo("examples/hello.yaml").toString(), "--json")
            .json()
            .get("run_id")
            .asText();
    String failed = cli.run("run", failing.toString(), "--json").json().get("run_id").asText();

    JsonNode onlyFailed = cli.run("runs", "--state", "failed", "--json").json();
    JsonNode ofHello = cli.run("runs", "--flow", "hello", "--json").json();
    Cli.Result none = cli.run("runs", "--flow", "hello", "--state", "FAILED,cancelled");
    Cli.Result typoFlow = cli.run("runs", "--flow", "helo");
    Cli.Result typoState = cli.run("runs", "--state", "faild");

    assertThat(onlyFailed).extracting(r -> r.get("run_id").asText()).containsExactly(failed);
    assertThat(ofHello).extracting(r -> r.get("run_id").asText()).containsExactly(hello);
    assertThat(none.exitCode()).isZero();
    assertThat(none.out()).contains("no failed or cancelled runs of flow 'hello'");
    assertThat(typoFlow.exitCode()).isEqualTo(2);
    assertThat(typoFlow.err())
        .contains("no runs of flow 'helo': did you mean 'hello'?")
        .contains("(flows with runs: failing, hello)");
    assertThat(typoState.exitCode()).isEqualTo(2);
    assertThat(typoState.err())
        .contains("unknown run state 'faild' for --state: did you mean 'failed'?");
  }

  @Test
  void graphDrawsTextDotAndMermaid() {
    String hello = Cli.repo("examples/hello.yaml").toString();
    assertThat(cli.run("graph", hello).out()).contains("transform [shell, HIGH]  <- extract");
    assertThat(cli.run("graph", hello, "--format", "dot").out())
        .contains("\"extract\" -> \"transform\";");
    assertThat(cli.run("graph", hello, "--format", "mermaid").out()).contains("transform --> load");
  }

  @Test
  void detachedRunReturnsAtOnceAndFinishesInTheBackground() throws Exception {
    Path f =
        flow(
            "bg.yaml", "name: bg\ntasks:\n  - {id: nap, type: sleep, config: {duration: 300ms}}\n");
    Cli.Result r = cli.run("run", f.toString(), "--detach", "--json");
    assertThat(r.exitCode()).as(r.err()).isZero();
    String runId = r.json().get("run_id").asText();

    String state = "";
    for (int i = 0; i < 200 && !state.equals("SUCCEEDED"); i++) {
      Thread.sleep(100);
      state = cli.run("status", runId, "--json").json().get("state").asText();
    }
    assertThat(state).isEqualTo("SUCCEEDED");
  }

  @Test
  void settingsComeFromTheEnvironmentFileAndFlagsInThatOrder() throws Exception {
    Path settings = flow("settings.yaml", "max_concurrent_tasks: many\n");
    Cli.Result r =
        cli.run(
            "run", Cli.repo("examples/hello.yaml").toString(), "--settings", settings.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("MAX_CONCURRENT_TASKS='many'");
  }

  @Test
  void standaloneTaskRunsOneTypeWithTheSeedsExitCodes() throws Exception {
    Path gen = flow("gen.yaml", "rows: 2000\nseed: 3\n");
    Cli.Result ok =
        cli.run(
            "task",
            "synthetic_orderflow",
            "--output",
            dir.resolve("gen").toString(),
            "--config",
            gen.toString());
    assertThat(ok.exitCode()).as(ok.err()).isZero();
    assertThat(dir.resolve("gen/data.parquet")).exists();

    Path features =
        flow("features.yaml", "features: [{preset: seed000}]\ntime_column: timestamp\n");
    Cli.Result f =
        task(
            "features",
            dir.resolve("gen"),
            dir.resolve("out/features.parquet"),
            features,
            "--log-level",
            "WARN");
    assertThat(f.exitCode()).as(f.err()).isZero();
    assertThat(dir.resolve("out/features.parquet")).exists();
    assertThat(dir.resolve("out/features.feature_metadata.json")).exists();
    assertThat(dir.resolve("out/features.ok")).exists();

    // a label file holds the label alone; train on it finds its metadata beside it
    // (labels.metadata.json) and reads the features it labels through it
    Path label =
        flow(
            "label.yaml",
            "column: S_LI_INITIATIVESELLRATE\nkind: value\nhorizon: 1\nname: next_sell\n");
    Cli.Result l =
        task(
            "label", dir.resolve("out/features.parquet"), dir.resolve("out/labels.parquet"), label);
    assertThat(l.exitCode()).as(l.err()).isZero();
    assertThat(dir.resolve("out/labels.metadata.json")).exists();
    Path train =
        flow(
            "train.yaml",
            "features: [S_LI_INITIATIVEBUYRATE, buy_sell_ratio]\n"
                + "split: {method: holdout, test_fraction: 0.2}\n");
    Path labels = dir.resolve("out/labels.parquet");
    Cli.Result t = task("train", labels, dir.resolve("model"), train);
    assertThat(t.exitCode()).as(t.err()).isZero();
    assertThat(t.out()).contains("train: ok");
    Files.move(dir.resolve("out/features.parquet"), dir.resolve("out/moved.parquet"));
    Cli.Result gone = task("train", labels, dir.resolve("model2"), train);
    assertThat(gone.exitCode()).isEqualTo(1);
    assertThat(gone.err())
        .contains("labels.parquet holds only the columns its task added to the rows of")
        .contains("which is gone")
        .contains("rerun the task that wrote");
    Files.move(dir.resolve("out/moved.parquet"), dir.resolve("out/features.parquet"));

    Cli.Result failed =
        task(
            "features",
            Cli.repo("examples/data/msft_daily_ohlcv.csv"),
            dir.resolve("bad"),
            features);
    assertThat(failed.exitCode()).isEqualTo(1);
    assertThat(failed.err().lines().findFirst().orElse(""))
        .contains("needs column 'S_LI_INITIATIVEBUYRATE'");
    assertThat(dir.resolve("bad")).doesNotExist();

    Path broken = flow("broken-features.yaml", "features: [{fn: ma, column: close}]\n");
    Cli.Result usage =
        cli.run(
            "task",
            "features",
            "--output",
            dir.resolve("x").toString(),
            "--config",
            broken.toString());
    assertThat(usage.exitCode()).isEqualTo(2);
    assertThat(usage.err()).contains("'window' must be a whole number");
    assertThat(cli.run("task", "featurez", "--output", "x").err())
        .contains("unknown task type 'featurez'");
  }

  @Test
  void everySubcommandAnswersHelpAndAMistakePointsToIt() {
    List<List<String>> commands = new ArrayList<>(List.of(List.of("models", "promote")));
    List<String> names = new ArrayList<>();
    for (Class<?> c : AlphaflowCommand.SUBCOMMANDS) {
      names.add(c.getAnnotation(picocli.CommandLine.Command.class).name());
      commands.add(List.of(names.getLast()));
    }
    // each command line registers only the subcommand it names; the root's help lists them all
    StringWriter rootHelp = new StringWriter();
    assertThat(Main.run(new PrintWriter(rootHelp), new PrintWriter(new StringWriter()), "--help"))
        .isZero();
    assertThat(rootHelp.toString()).contains(names);
    StringWriter version = new StringWriter();
    assertThat(Main.run(new PrintWriter(version), new PrintWriter(new StringWriter()), "-V"))
        .isZero();
    assertThat(version.toString()).startsWith("alphaflow ");
    Cli.Result typo = cli.run("stauts");
    assertThat(typo.exitCode()).isEqualTo(2);
    assertThat(typo.err())
        .contains("'stauts'")
        .contains("Did you mean: alphaflow status")
        .contains("try: alphaflow --help");
    for (List<String> command : commands) {
      List<String> args = new ArrayList<>(command);
      args.add("--help");
      Cli.Result help = cli.run(args.toArray(String[]::new));
      assertThat(help.exitCode()).as(String.join(" ", args)).isZero();
      assertThat(help.out()).contains("Usage: alphaflow " + String.join(" ", command));
    }
    Cli.Result missing = cli.run("models", "promote");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("try: alphaflow models promote --help");
  }

  @Test
  void seed000FactorPipelineRunsAndItsLeakyTwinIsRefused() {
    Cli.Result run =
        cli.run(
            "run",
            Cli.repo("examples/hft_factor_features.yaml").toString(),
            "--param",
            "rows=20000",
            "--json");
    assertThat(run.exitCode()).as(run.out() + run.err()).isZero();
    assertThat(run.json().get("tasks"))
        .extracting(t -> t.get("state").asText())
        .containsOnly("SUCCEEDED");
    String runId = run.json().get("run_id").asText();
    String lineage = cli.run("lineage", runId + "/features").out();
    assertThat(lineage)
        .containsPattern("<- \\w{12}  validate \\(validate\\) of run " + runId)
        .containsPattern("<- \\w{12}  ingest \\(ingest\\)")
        .containsPattern("<- \\w{12}  generate \\(synthetic_orderflow\\)")
        .containsPattern("-> \\w{12}  label \\(label\\)");
    assertThat(cli.run("lineage", runId + "/label", "--format", "dot").out())
        .contains("digraph lineage")
        .contains("->");
    assertThat(cli.run("lineage", "ffffffffffff").err()).contains("no single artifact matches");

    Cli.Result leaky = cli.run("validate", Cli.repo("examples/hft_factor_leakage.yaml").toString());
    assertThat(leaky.exitCode()).isEqualTo(2);
    assertThat(leaky.err())
        .contains("feature 'buy_sell_ratio' reads S_LI_INITIATIVESELLRATE at t+0");
  }

  @Test
  void cancelStopsADetachedRunAndKillsItsProcess() throws Exception {
    Path marker = dir.resolve("marker-" + System.nanoTime());
    Path f =
        flow(
            "long.yaml",
            """
        name: long
        tasks:
          - {id: wait, type: shell, config: {command: ["sh", "-c", "touch \\"$M\\"; exec sleep 47"], env: {M: "%s"}}}
          - {id: after, type: noop, depends_on: [wait]}
        """
                .formatted(marker));
    String runId = cli.run("run", f.toString(), "--detach", "--json").json().get("run_id").asText();
    for (int i = 0; i < 300 && !Files.exists(marker); i++) {
      Thread.sleep(50);
    }
    assertThat(marker).exists();

    Cli.Result cancel = cli.run("cancel", runId, "--reason", "wrong params", "--wait", "--json");

    assertThat(cancel.exitCode()).as(cancel.err()).isZero();
    assertThat(cancel.json().get("state").asText()).isEqualTo("CANCELLED");
    JsonNode status = cli.run("status", runId, "--json").json();
    assertThat(status.get("error").asText()).isEqualTo("cancelled: wrong params");
    assertThat(status.get("tasks"))
        .extracting(t -> t.get("state").asText())
        .containsOnly("CANCELLED");
    Thread.sleep(300);
    assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse("")))
        .noneMatch(c -> c.equals("sleep 47"));
    assertThat(cli.run("cancel", runId).out()).contains("had already ended: CANCELLED");
  }

  @Test
  void rerunRunsOneTaskAndItsDownstreamAgain() {
    String runId =
        cli.run("run", Cli.repo("examples/hello.yaml").toString(), "--json")
            .json()
            .get("run_id")
            .asText();

    Cli.Result rerun = cli.run("rerun", runId, "transform", "--downstream", "--json");

    assertThat(rerun.exitCode()).as(rerun.err()).isZero();
    assertThat(rerun.json().get("tasks"))
        .extracting(t -> t.get("id").asText() + "=" + t.get("attempts").asInt())
        .containsExactly("extract=1", "transform=2", "load=2");
    Cli.Result unknown = cli.run("rerun", runId, "nope");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("has no task 'nope'");
  }

  @Test
  void backfillOverTwentyDaysWithOneFailingPartitionThenResumed() throws Exception {
    Path marker = Files.writeString(dir.resolve("vendor-outage"), "");
    Path f =
        flow(
            "daily.yaml",
            """
        name: daily
        params: {date: {type: date}, marker: {type: string}}
        tasks:
          - id: compute
            type: shell
            retry: {max_attempts: 1}
            config:
              command: ["sh", "-c", 'if [ "$D" = "2024-01-10" ] && [ -e "$M" ]; then echo "no data for $D" >&2; exit 3; fi']
              env: {D: "${params.date}", M: "${params.marker}"}
        """);
    String[] args = {
      "backfill",
      f.toString(),
      "--from",
      "2024-01-01",
      "--to",
      "2024-01-20",
      "--concurrency",
      "4",
      "--param",
      "marker=" + marker,
      "--json"
    };

    Cli.Result first = cli.run(args);

    assertThat(first.exitCode()).as(first.err()).isEqualTo(1);
    JsonNode rows = first.json();
    assertThat(rows).hasSize(20);
    assertThat(rows)
        .filteredOn(r -> r.get("state").asText().equals("FAILED"))
        .extracting(r -> r.get("date").asText())
        .containsExactly("2024-01-10");
    String failedRun = rows.get(9).get("run_id").asText();

    Files.delete(marker);
    Cli.Result second = cli.run(args);

    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.json()).filteredOn(r -> r.get("skipped").asBoolean()).hasSize(19);
    assertThat(second.json().get(9).get("run_id").asText())
        .as("resumed, not started anew")
        .isEqualTo(failedRun);
    assertThat(cli.run("runs", "--limit", "100", "--json").json()).hasSize(20);
    assertThat(
            cli.run("backfill", f.toString(), "--from", "2024-01-05", "--to", "2024-01-01").err())
        .contains("--to 2024-01-01 is before --from 2024-01-05");
    assertThat(
            cli.run(
                    "backfill",
                    Cli.repo("examples/hello.yaml").toString(),
                    "--from",
                    "2024-01-01",
                    "--to",
                    "2024-01-02")
                .err())
        .contains("has no param 'date' of type date");
  }

  @Test
  void gcDeletesExpiredFilesButNotThoseOfAPinnedRun() throws Exception {
    Path f =
        flow(
            "short.yaml",
            """
        name: short_lived
        tasks:
          - id: scratch
            type: shell
            retention_days: 0
            config: {command: ["sh", "-c", 'echo "$ALPHAFLOW_RUN_ID" > "$ALPHAFLOW_OUTPUT_DIR/scratch.txt"']}
        """);
    String gone = cli.run("run", f.toString(), "--json").json().get("run_id").asText();
    String kept = cli.run("run", f.toString(), "--json").json().get("run_id").asText();
    assertThat(cli.run("pin", kept).out()).contains("pinned");

    JsonNode dry = cli.run("gc", "--dry-run", "--json").json();
    assertThat(dry.get("deleted"))
        .extracting(d -> d.get("what").asText())
        .anyMatch(w -> w.contains(gone));
    assertThat(dir.resolve(".alphaflow/outputs").resolve(gone).resolve("scratch")).exists();

    JsonNode real = cli.run("gc", "--json").json();

    assertThat(real.get("freed_bytes").asLong()).isPositive();
    assertThat(dir.resolve(".alphaflow/outputs").resolve(gone).resolve("scratch")).doesNotExist();
    assertThat(dir.resolve(".alphaflow/outputs").resolve(kept).resolve("scratch/scratch.txt"))
        .exists();
    assertThat(real.get("kept"))
        .extracting(k -> k.get("reason").asText())
        .contains("run " + kept + " is pinned");
  }

  /** A label holds its column alone: gc keeps the expired features and data it is read beside. */
  @Test
  void gcKeepsExpiredFilesAKeptLabelIsReadBeside() throws Exception {
    String chain =
        """
        name: labelled
        tasks:
          - {id: ingest, type: ingest, retention_days: 0,
             config: {path: "%s", timestamp_column: date}}
          - {id: features, type: features, depends_on: [ingest], retention_days: 0,
             config: {input: "${tasks.ingest.output_dir}", time_column: date,
                      features: [{fn: ma, column: close, window: 5}]}}
          - {id: label, type: label, depends_on: [features], retention_days: %d,
             config: {input: "${tasks.features.output_dir}", column: close}}
        """;
    String csv = Cli.repo("examples/data/msft_daily_ohlcv.csv").toString();
    String run =
        cli.run("run", flow("kept.yaml", chain.formatted(csv, 30)).toString(), "--json")
            .json()
            .get("run_id")
            .asText();
    Path outputs = dir.resolve(".alphaflow/outputs").resolve(run);

    JsonNode gc = cli.run("gc", "--json").json();
    assertThat(gc.get("kept"))
        .extracting(k -> k.get("what").asText() + ": " + k.get("reason").asText())
        .anyMatch(k -> k.contains("(ingest of run " + run) && k.endsWith("still referenced"))
        .anyMatch(k -> k.contains("(features of run " + run) && k.endsWith("still referenced"));
    assertThat(outputs.resolve("features/data.parquet")).exists();
    assertThat(outputs.resolve("ingest/data.parquet")).exists();

    // once the label expires too, all three go
    String gone =
        cli.run("run", flow("gone.yaml", chain.formatted(csv, 0)).toString(), "--force", "--json")
            .json()
            .get("run_id")
            .asText();
    cli.run("gc", "--json");
    assertThat(dir.resolve(".alphaflow/outputs").resolve(gone).resolve("label")).doesNotExist();
    assertThat(dir.resolve(".alphaflow/outputs").resolve(gone).resolve("features")).doesNotExist();
    assertThat(outputs.resolve("features/data.parquet")).exists();
  }
}
