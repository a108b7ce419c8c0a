package io.alphaflow.quant.models;

import io.alphaflow.core.approval.Approval;
import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.flow.DidYouMean;
import io.alphaflow.core.flow.TaskSpec;
import io.alphaflow.core.model.AliasMove;
import io.alphaflow.core.model.ModelRegistry;
import io.alphaflow.core.model.ModelVersion;
import io.alphaflow.core.task.TaskContext;
import io.alphaflow.core.task.TaskFailure;
import io.alphaflow.quant.QuantTask;
import io.alphaflow.quant.data.Configs;
import io.alphaflow.quant.data.Duck;
import io.alphaflow.quant.data.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Type {@code promote}: moves an alias (default {@code champion}) of a model to a version after its
 * {@code gates} pass, absolute or relative to the current champion (e.g. {@code roc_auc:
 * {min_vs_champion: -0.01}}). Writes seed 000's {@code deployment_manifest.yaml} and {@code
 * rollback_config.json} beside the version. Usually gated by {@code approval: required}; the
 * approver is recorded as who promoted.
 */
public final class PromoteTask implements QuantTask {
  public static final String DEPLOYMENT_MANIFEST = "deployment_manifest.yaml";
  public static final String ROLLBACK_CONFIG = "rollback_config.json";

  /** The data the candidate and the champion are both scored on for the relative gates. */
  static final String COMPARE_ON = "compare_on";

  @Override
  public boolean usesModelRegistry() {
    return true;
  }

  @Override
  public java.util.Set<String> configKeys() {
    return QuantTask.keys(
        "name", "version", "alias", "by", "gates", COMPARE_ON, "rollback_triggers");
  }

  @Override
  public String type() {
    return "promote";
  }

  @Override
  public List<ConfigProblem> settingProblems(Map<String, Object> config) {
    List<ConfigProblem> problems =
        new ArrayList<>(ModelFiles.nameProblems(config, "name: hft_factor"));
    problems.addAll(
        Configs.required(config, "version", "version: ${tasks.register.outputs.version}"));
    problems.addAll(Gate.problems(config.get("gates"), "gates"));
    problems.addAll(triggerProblems(config.get("rollback_triggers")));
    Object alias = config.get("alias");
    if (alias != null
        && !Configs.resolvesLater(alias)
        && ModelRegistry.aliasProblem(String.valueOf(alias)) != null) {
      problems.add(
          new ConfigProblem(
              "alias", ModelRegistry.aliasProblem(String.valueOf(alias)), "alias: champion"));
    }
    Object compareOn = config.get(COMPARE_ON);
    if (compareOn != null && (!(compareOn instanceof String s) || s.isBlank())) {
      problems.add(
          new ConfigProblem(
              COMPARE_ON,
              "compare_on names the data both models are scored on, was " + compareOn,
              "compare_on: ${tasks.label.output_dir}"));
    }
    return problems;
  }

  /**
   * Problems with {@code rollback_triggers}, which rollback_config.json records for whatever
   * watches the live model: a list of {@code {metric, below}} or {@code {metric, above}}, the
   * metric one evaluate reports. A misspelt one would watch nothing.
   */
  private static List<ConfigProblem> triggerProblems(Object triggers) {
    List<ConfigProblem> problems = new ArrayList<>();
    if (triggers == null || Configs.resolvesLater(triggers)) {
      return problems;
    }
    String example = "rollback_triggers: [{metric: r2, below: 0.1}]";
    if (!(triggers instanceof List<?> list)) {
      problems.add(
          new ConfigProblem(
              "rollback_triggers", "rollback_triggers is a list, was " + triggers, example));
      return problems;
    }
    for (int i = 0; i < list.size(); i++) {
      String at = "rollback_triggers[" + i + "]";
      if (!(list.get(i) instanceof Map<?, ?> t)) {
        problems.add(
            new ConfigProblem(at, "a trigger is {metric, below} or {metric, above}", example));
        continue;
      }
      problems.addAll(Configs.unknownKeys(at, t, List.of("metric", "below", "above")));
      Object metric = t.get("metric");
      if (metric == null || !Metrics.GATEABLE.contains(String.valueOf(metric))) {
        problems.add(
            new ConfigProblem(
                at + ".metric",
                "a trigger watches a metric evaluate reports, was " + metric,
                DidYouMean.hint(String.valueOf(metric), Metrics.GATEABLE)));
      }
      long bounds = java.util.stream.Stream.of("below", "above").filter(t::containsKey).count();
      if (bounds != 1) {
        problems.add(new ConfigProblem(at, "a trigger has one bound, below or above", example));
      }
      for (String b : List.of("below", "above")) {
        Object v = t.get(b);
        if (v != null && !Configs.resolvesLater(v) && Configs.numberOrNull(v) == null) {
          problems.add(
              new ConfigProblem(at + "." + b, b + " must be a number, was '" + v + "'", example));
        }
        double[] range = Metrics.RANGES.get(String.valueOf(metric));
        Double d = Configs.numberOrNull(v);
        if (range != null && d != null && (b.equals("below") ? d > range[1] : d < range[0])) {
          // whatever the live model scores, it rolls back
          problems.add(
              new ConfigProblem(
                  at + "." + b,
                  "this trigger always fires: "
                      + metric
                      + (b.equals("below")
                          ? " is at most " + Gate.plain(range[1])
                          : " is at least " + Gate.plain(range[0]))
                      + ", and it fires "
                      + b
                      + " "
                      + v,
                  range[1] == 1 && d > 1 ? "a share is a fraction: 0.2 for 20%" : example));
        }
      }
    }
    return problems;
  }

  /** A gate on drift needs an evaluate upstream that measures it. */
  @Override
  public List<ConfigProblem> validateInFlow(TaskSpec self, List<TaskSpec> upstream) {
    boolean gated = self.config().get("gates") instanceof Map<?, ?> g && g.containsKey("max_psi");
    boolean measured =
        upstream.stream()
            .anyMatch(t -> t.type().equals("evaluate") && t.config().get("drift") != null);
    return gated && !measured
        ? List.of(
            new ConfigProblem(
                "gates.max_psi",
                "a gate on max_psi needs an evaluate task upstream with drift: none measures it",
                "on the evaluate task: drift: {data: ${tasks.label.output_dir}}"))
        : List.of();
  }

  /** The comparison as the log says it: on which rows, and the gated metrics side by side. */
  private static String describe(ChampionComparison c, ModelVersion champion, List<Gate> gates) {
    if (!c.sameRows()) {
      return "the champion "
          + champion.shortVersion()
          + " cannot be scored on the candidate's rows ("
          + c.reason()
          + "): gates relative to it use each model's stored metrics";
    }
    StringBuilder sb =
        new StringBuilder("compared with the champion ")
            .append(champion.shortVersion())
            .append(" on the same ")
            .append(c.rows())
            .append(" rows (")
            .append(ModelVersion.span(c.window()).orElse(String.valueOf(c.window())))
            .append(")");
    for (Gate g : gates) {
      if (g.relative()) {
        sb.append("; ")
            .append(g.metric())
            .append(": candidate ")
            .append(c.candidate().get(g.metric()))
            .append(", champion ")
            .append(c.champion().get(g.metric()));
      }
    }
    return sb.toString();
  }

  /**
   * Why {@code metric} as stored for the candidate cannot be set against the champion's, measured
   * on another basis, and what to do; null when it can. {@code comparison}: the one compare_on
   * asked for, which could not score both on the same rows; null when not asked for.
   */
  private static String otherBasis(
      String metric, ModelVersion candidate, ModelVersion champion, ChampionComparison comparison) {
    String basis = Metrics.basisMismatch(metric, candidate.metrics(), champion.metrics());
    if (basis == null) {
      return null;
    }
    return basis
        + (comparison == null
            ? ": set compare_on (the rows to score both models on, such as"
                + " ${tasks.label.output_dir}) to compare them alike"
            : ", and compare_on could not score both on the same rows ("
                + comparison.reason()
                + ")");
  }

  /**
   * Why {@code gates} refuse {@code candidate} in place of {@code current} (null: none yet); empty
   * when they pass. {@code comparison}: both models scored on the same rows (compare_on), or null
   * for their stored metrics.
   */
  private static List<String> breaches(
      ModelVersion candidate,
      ModelVersion current,
      List<Gate> gates,
      ChampionComparison comparison) {
    List<String> breaches = new ArrayList<>();
    Map<String, Object> metrics = candidate.metrics();
    Map<String, Object> championMetrics = current == null ? null : current.metrics();
    // two models that predict different things: no figure of one says whether the other is better
    String other =
        current == null
            ? null
            : ModelVersion.predictsOtherwise(
                candidate.predicts(TrainTask.MODEL_JSON),
                "the candidate",
                current.predicts(TrainTask.MODEL_JSON),
                "the champion");
    List<String> relative = gates.stream().filter(Gate::relative).map(Gate::metric).toList();
    if (other != null && !relative.isEmpty()) {
      breaches.add(
          "the gates relative to the champion ("
              + String.join(", ", relative)
              + ") cannot compare the two: "
              + other
              + "; to replace the champion with this model, promote without them");
    }
    for (Gate g : gates) {
      String b = g.absolutePart().breach(metrics, null);
      if (b == null && g.relative() && other == null) {
        boolean same =
            comparison != null
                && comparison.sameRows()
                && comparison.candidate().get(g.metric()) instanceof Number
                && comparison.champion().get(g.metric()) instanceof Number;
        String basis =
            same || championMetrics == null
                ? null
                : otherBasis(g.metric(), candidate, current, comparison);
        b =
            same
                ? g.relativePart().breach(comparison.candidate(), comparison.champion())
                : basis != null ? basis : g.relativePart().breach(metrics, championMetrics);
        if (b != null && same) {
          b += " (both scored on the same " + comparison.rows() + " rows)";
        }
      }
      if (b != null) {
        breaches.add(b);
      }
    }
    return breaches;
  }

  /**
   * The promotion a config asks for, as the registry stands: {@code candidate} to take {@code
   * alias} of model {@code name} from {@code current} (null: no holder yet).
   */
  private record Request(String name, String alias, ModelVersion candidate, ModelVersion current) {
    static Request of(Map<String, Object> cfg, ModelRegistry registry) {
      String name = Configs.string(cfg, "name");
      String alias = Configs.string(cfg, "alias", ModelRegistry.CHAMPION);
      return new Request(
          name,
          alias,
          registry.find(name, Configs.string(cfg, "version")),
          registry.alias(name, alias).orElse(null));
    }

    /** Whether the candidate holds the alias already. */
    boolean changesNothing() {
      return current != null && current.version().equals(candidate.version());
    }
  }

  /**
   * What approving the promotion does: which version takes the alias from which, whether the gates
   * let it through as things stand (they are checked again once approved, when the champion may
   * have moved), and the command that sets the two versions side by side.
   */
  @Override
  public String approvalSubject(Map<String, Object> cfg, ModelRegistry registry) {
    Request asked = Request.of(cfg, registry);
    String name = asked.name();
    String alias = asked.alias();
    ModelVersion candidate = asked.candidate();
    ModelVersion current = asked.current();
    if (asked.changesNothing()) {
      return "version "
          + candidate.shortVersion()
          + " is already the "
          + alias
          + " of '"
          + name
          + "': approving changes nothing";
    }
    String gone = registry.filesProblem(candidate);
    if (gone != null) {
      return "approving cannot promote " + candidate.shortVersion() + ": " + gone;
    }
    StringBuilder sb =
        new StringBuilder("approving makes ")
            .append(candidate.shortVersion())
            .append(" the ")
            .append(alias)
            .append(" of '")
            .append(name)
            .append("' ")
            .append(current == null ? "(its first)" : "in place of " + current.shortVersion());
    List<Gate> gates = Gate.parse(cfg.get("gates"));
    // compare_on scores both models on data: that waits for the attempt
    boolean scoredLater =
        current != null && cfg.get(COMPARE_ON) != null && gates.stream().anyMatch(Gate::relative);
    List<Gate> checkable =
        scoredLater
            ? gates.stream().filter(Gate::absolute).map(Gate::absolutePart).toList()
            : gates;
    if (scoredLater) {
      sb.append("; the gates relative to the ")
          .append(alias)
          .append(" score both on compare_on once approved");
    }
    if (!checkable.isEmpty()) {
      List<String> breaches = breaches(candidate, current, checkable, null);
      String which = scoredLater ? "its absolute bounds" : "its gates";
      sb.append(
          breaches.isEmpty()
              ? "; "
                  + which
                  + " pass"
                  + (current == null && gates.stream().anyMatch(Gate::relative)
                      ? " (no " + alias + " yet to compare it with)"
                      : sideBySide(checkable, candidate, current, alias))
              : "; " + which + " refuse it as things stand: " + String.join("; ", breaches));
    }
    sb.append(
        current == null
            ? "; see: alphaflow models show " + name + " " + candidate.shortVersion()
            : "; compare: alphaflow models diff "
                + candidate.shortVersion()
                + " "
                + current.shortVersion());
    return sb.toString();
  }

  /**
   * The gated metrics of the candidate beside the current holder's, as stored, for a request whose
   * gates pass: " (r2 0.7199 against the champion's 0.7012)"; empty when there is none to set them
   * beside.
   */
  private static String sideBySide(
      List<Gate> gates, ModelVersion candidate, ModelVersion current, String alias) {
    if (current == null) {
      return "";
    }
    List<String> pairs = new ArrayList<>();
    for (Gate g : gates) {
      if (g.relative()
          && candidate.metrics().get(g.metric()) instanceof Number mine
          && current.metrics().get(g.metric()) instanceof Number theirs) {
        pairs.add(
            g.metric()
                + " "
                + Gate.fmt(mine.doubleValue())
                + " against the "
                + alias
                + "'s "
                + Gate.fmt(theirs.doubleValue()));
      }
    }
    return pairs.isEmpty() ? "" : " (" + String.join(", ", pairs) + ")";
  }

  @Override
  public void execute(TaskContext ctx) throws Exception {
    Map<String, Object> cfg = ctx.config();
    ModelRegistry registry = ctx.models();
    Request asked = Request.of(cfg, registry);
    String name = asked.name();
    String alias = asked.alias();
    ModelVersion candidate = asked.candidate();
    ModelVersion current = asked.current();
    if (asked.changesNothing()) {
      ctx.log()
          .info(
              "version "
                  + candidate.shortVersion()
                  + " is already the "
                  + alias
                  + "; nothing to do");
      ctx.output("version", candidate.version());
      ctx.output("promoted", "false");
      return;
    }
    String gone = registry.filesProblem(candidate);
    if (gone != null) {
      throw TaskFailure.nonRetryable(gone);
    }
    Map<String, Object> metrics = candidate.metrics();
    Map<String, Object> championMetrics = current == null ? null : current.metrics();
    List<Gate> gates = Gate.parse(cfg.get("gates"));
    ChampionComparison comparison = null;
    if (current != null && cfg.get(COMPARE_ON) != null) {
      try (Connection db = Duck.open(cfg)) {
        comparison =
            ChampionComparison.of(db, Path.of(Configs.string(cfg, COMPARE_ON)), candidate, current);
      }
      ctx.log().info(describe(comparison, current, gates));
    }
    List<String> breaches = breaches(candidate, current, gates, comparison);
    if (!breaches.isEmpty()) {
      throw TaskFailure.nonRetryable(
          "promotion of version "
              + candidate.shortVersion()
              + " refused; the "
              + alias
              + (current == null ? "" : " stays " + current.shortVersion())
              + ": "
              + String.join("; ", breaches));
    }
    Approval approval = ctx.approval().orElse(null);
    String by =
        approval != null
            ? approval.by()
            : Configs.string(cfg, "by", "flow " + ctx.flowName() + " run " + ctx.runId());
    String reason =
        approval != null && approval.comment() != null
            ? approval.comment()
            : "promoted by run " + ctx.runId();
    AliasMove move = registry.promote(name, candidate.version(), alias, by, reason);
    Path dir = Path.of(candidate.path());
    Map<String, Object> deployment = new LinkedHashMap<>();
    deployment.put("model", name);
    deployment.put("version", candidate.version());
    deployment.put("alias", alias);
    deployment.put("promoted_by", by);
    deployment.put("promoted_at", move.at().toString());
    deployment.put("reason", reason);
    if (approval != null) {
      deployment.put(
          "approval",
          Json.ordered(
              "decision", approval.decision().name().toLowerCase(java.util.Locale.ROOT),
              "by", approval.by(),
              "at", approval.at().toString(),
              "comment", approval.comment() == null ? "" : approval.comment()));
    }
    deployment.put("previous_version", current == null ? null : current.version());
    deployment.put("run", ctx.runId());
    deployment.put("metrics", metrics);
    if (comparison != null) {
      deployment.put("champion_comparison", comparison.describe());
    }
    deployment.put("model_path", dir.resolve(TrainTask.MODEL_FILE).toString());
    Map<String, Object> rollback = new LinkedHashMap<>();
    rollback.put("model", name);
    rollback.put("alias", alias);
    rollback.put("current_version", candidate.version());
    rollback.put("rollback_to", current == null ? null : current.version());
    rollback.put("rollback_metrics", championMetrics);
    rollback.put(
        "command",
        current == null ? null : "alphaflow models rollback " + name + " --by NAME --comment WHY");
    rollback.put("triggers", cfg.getOrDefault("rollback_triggers", List.of()));
    String yaml = Json.yaml(deployment);
    for (Path target : List.of(dir, ctx.outputDir())) {
      Files.writeString(target.resolve(DEPLOYMENT_MANIFEST), yaml);
      Json.write(target.resolve(ROLLBACK_CONFIG), rollback);
    }
    ctx.output("version", candidate.version());
    ctx.output("promoted", "true");
    ctx.output("previous_version", current == null ? "" : current.version());
    ctx.log()
        .info(
            alias
                + " of '"
                + name
                + "' is now "
                + candidate.shortVersion()
                + (current == null ? " (the first)" : " (was " + current.shortVersion() + ")")
                + ", by "
                + by);
  }
}
