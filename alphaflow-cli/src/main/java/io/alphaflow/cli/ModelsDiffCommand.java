package io.alphaflow.cli;

import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.NotFoundException;
import io.alphaflow.core.model.ModelRegistry;
import io.alphaflow.core.model.ModelVersion;
import io.alphaflow.quant.models.TrainTask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "diff",
    description =
        "Two versions' metrics side by side (versions of any model, by hash or prefix, or"
            + " NAME@champion), then what"
            + " else tells them apart: data, training window, features, params, seed, code.")
final class ModelsDiffCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "V1",
      description =
          "A version: a hash or unique prefix, or a model's alias or version as NAME@champion,"
              + " NAME@challenger, NAME@PREFIX.")
  String v1;

  @Parameters(index = "1", paramLabel = "V2", description = "Another version.")
  String v2;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      ModelRegistry registry = ModelViews.registry(ws);
      ModelVersion a = find(registry, v1);
      ModelVersion b = find(registry, v2);
      Map<String, Object> ma = a.metrics();
      Map<String, Object> mb = b.metrics();
      Set<String> keys = new LinkedHashSet<>(ma.keySet());
      keys.addAll(mb.keySet());
      var out = spec.commandLine().getOut();
      Map<String, List<Object>> differences = differences(a.manifestMap(), b.manifestMap());
      // metrics of models that predict different things measure different things
      String unlike =
          ModelVersion.predictsOtherwise(
              a.predicts(TrainTask.MODEL_JSON),
              a.shortVersion(),
              b.predicts(TrainTask.MODEL_JSON),
              b.shortVersion());
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(a.version(), ma);
        m.put(b.version(), mb);
        m.put("manifest_differences", differences);
        m.put("not_alike", unlike);
        out.println(Json.write(m));
        return ExitCode.OK.code();
      }
      Table t =
          new Table(
              "METRIC",
              a.name() + " " + a.shortVersion(),
              b.name() + " " + b.shortVersion(),
              "CHANGE");
      for (String k : keys) {
        Object x = ma.get(k);
        Object y = mb.get(k);
        t.row(k, ModelViews.number(x), ModelViews.number(y), ModelViews.change(x, y));
      }
      out.print(t.render());
      if (unlike != null) {
        out.println(
            "not alike: "
                + unlike
                + "; each figure measures how well a model predicts its own target");
      }
      out.println();
      if (differences.isEmpty()) {
        out.println("trained alike: same data, window, features, params, seed and code");
      } else {
        Table d = new Table("TRAINED WITH", a.shortVersion(), b.shortVersion());
        differences.forEach((k, v) -> d.row(k, shown(v.get(0)), shown(v.get(1))));
        if (differences.get("features") != null) {
          d.row("", "", featureChange(differences.get("features")));
        }
        out.print(d.render());
      }
      out.flush();
      return ExitCode.OK.code();
    }
  }

  /** Manifest fields that are not the version's identity, run or metrics. */
  private static final Set<String> NOT_COMPARED =
      Set.of("name", "version", "metrics", "parent_run");

  /**
   * The manifest fields whose values differ, each as [first's, second's] (null where one lacks it):
   * what may explain a change in the metrics.
   */
  static Map<String, List<Object>> differences(Map<String, Object> a, Map<String, Object> b) {
    Set<String> keys = new LinkedHashSet<>(a.keySet());
    keys.addAll(b.keySet());
    keys.removeAll(NOT_COMPARED);
    Map<String, List<Object>> out = new LinkedHashMap<>();
    for (String k : keys) {
      if (!Objects.equals(a.get(k), b.get(k))) {
        out.put(k, Arrays.asList(a.get(k), b.get(k)));
      }
    }
    return out;
  }

  /** A manifest value on one line: maps as k=v, lists comma-separated, hashes shortened. */
  static String shown(Object v) {
    return ModelVersion.oneLine(
        v,
        x -> {
          if (x == null) {
            return "-";
          }
          String text = x.toString();
          return text.matches("[0-9a-f]{40,}") ? text.substring(0, 12) : text;
        });
  }

  /** Which features the second version added and dropped. */
  static String featureChange(List<Object> features) {
    List<String> a = strings(features.get(0));
    List<String> b = strings(features.get(1));
    List<String> change = new ArrayList<>();
    b.stream().filter(f -> !a.contains(f)).forEach(f -> change.add("+" + f));
    a.stream().filter(f -> !b.contains(f)).forEach(f -> change.add("-" + f));
    return change.isEmpty() ? "(the same features, reordered)" : String.join(" ", change);
  }

  private static List<String> strings(Object v) {
    return v instanceof List<?> l ? l.stream().map(Object::toString).toList() : List.of();
  }

  /** {@code version}: a hash or unique prefix of any model's, or NAME@champion, NAME@VERSION. */
  private ModelVersion find(ModelRegistry registry, String version) {
    int at = version.indexOf('@');
    if (at > 0) {
      return registry.find(version.substring(0, at), version.substring(at + 1));
    }
    if (version.isBlank()) {
      throw new InvalidInputException(
          "an empty version: give a hash, a prefix of one, or NAME@champion");
    }
    ModelVersion found = null;
    for (String name : registry.names()) {
      for (ModelVersion v : registry.versions(name)) {
        if (v.version().startsWith(version)) {
          if (found != null) {
            throw new InvalidInputException(
                "version prefix '" + version + "' matches several versions; give more of the hash");
          }
          found = v;
        }
      }
    }
    if (found == null) {
      throw new NotFoundException(
          "no model version '"
              + version
              + "'; see 'alphaflow models list"
              + common.homeFlag()
              + "'");
    }
    return found;
  }
}
