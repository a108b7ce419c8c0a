package io.alphaflow.core.flow.internal;

import io.alphaflow.core.dag.Dag;
import io.alphaflow.core.flow.ConfigProblem;
import io.alphaflow.core.flow.DidYouMean;
import io.alphaflow.core.flow.Flow;
import io.alphaflow.core.flow.FlowProblem;
import io.alphaflow.core.flow.ParamSpec;
import io.alphaflow.core.flow.StageSpec;
import io.alphaflow.core.flow.TaskSpec;
import io.alphaflow.core.flow.TaskTypes;
import io.alphaflow.core.flow.Templates;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks a schema cannot express: ids, dependencies, cycles, task types, references. */
final class FlowChecks {
  private final LocatedYaml doc;
  private final Flow flow;
  private final TaskTypes types;
  private final List<FlowProblem> problems = new ArrayList<>();
  private final Map<String, Integer> indexOf = new LinkedHashMap<>();
  private final Set<String> configValid = new HashSet<>();

  private FlowChecks(LocatedYaml doc, Flow flow, TaskTypes types) {
    this.doc = doc;
    this.flow = flow;
    this.types = types;
  }

  static List<FlowProblem> check(LocatedYaml doc, Flow flow, TaskTypes types) {
    FlowChecks c = new FlowChecks(doc, flow, types);
    c.run();
    return c.problems;
  }

  private void run() {
    checkParams();
    List<TaskSpec> tasks = flow.tasks();
    for (int i = 0; i < tasks.size(); i++) {
      String id = tasks.get(i).id();
      if (indexOf.containsKey(id)) {
        problems.add(
            doc.problemAt(
                "/tasks/" + i + "/id",
                "duplicate task id '" + id + "'",
                "task ids must be unique; the first one is task #" + (indexOf.get(id) + 1)));
      } else {
        indexOf.put(id, i);
      }
    }
    for (int i = 0; i < tasks.size(); i++) {
      checkTask(i, tasks.get(i));
    }
    Map<String, List<String>> deps = new LinkedHashMap<>();
    // self-dependencies are reported per task above; keep them out of the cycle search
    tasks.forEach(
        t ->
            deps.putIfAbsent(
                t.id(), t.dependsOn().stream().filter(d -> !d.equals(t.id())).toList()));
    Dag.findCycle(deps)
        .ifPresent(
            cycle ->
                problems.add(
                    doc.problemAt(
                        "/tasks/" + indexOf.get(cycle.get(1)) + "/depends_on",
                        "dependency cycle: " + String.join(" -> ", cycle),
                        "a task cannot run after itself; remove one of these depends_on entries")));
    checkReferences(deps);
    checkStages();
  }

  private void checkParams() {
    flow.params()
        .forEach(
            (name, p) -> {
              if (p.defaultValue() == null) {
                return;
              }
              String at = "/params/" + name + "/default";
              String what = "default '" + p.defaultValue() + "' of param '" + name + "'";
              for (String ref : Templates.expressions(p.defaultValue())) {
                if (!ref.equals(Templates.FLOW_DIR)) {
                  problems.add(
                      doc.problemAt(
                          at,
                          what + " holds ${" + ref + "}, which a param's default cannot use",
                          "a default may name ${flow.dir}, the flow file's directory; use the"
                              + " other references in task config"));
                }
              }
              try {
                p.type().normalize(p.defaultValue());
              } catch (IllegalArgumentException e) {
                problems.add(
                    doc.problemAt(at, what + " is not a " + p.type().yamlName(), e.getMessage()));
              }
            });
  }

  private void checkTask(int i, TaskSpec t) {
    String at = "/tasks/" + i;
    for (int j = 0; j < t.dependsOn().size(); j++) {
      String dep = t.dependsOn().get(j);
      if (dep.equals(t.id())) {
        problems.add(
            doc.problemAt(
                at + "/depends_on/" + j,
                "dependency cycle: " + t.id() + " -> " + t.id(),
                "a task cannot depend on itself"));
      } else if (!indexOf.containsKey(dep)) {
        problems.add(
            doc.problemAt(
                at + "/depends_on/" + j,
                "task '" + t.id() + "' depends on missing task '" + dep + "'",
                DidYouMean.hint(dep, indexOf.keySet())));
      }
    }
    if (t.type().isEmpty()) {
      return; // reported by the schema check
    }
    if (!types.names().contains(t.type())) {
      problems.add(
          doc.problemAt(
              at + "/type",
              "unknown task type '" + t.type() + "' for task '" + t.id() + "'",
              DidYouMean.hint(t.type(), types.names().stream().sorted().toList())));
      return;
    }
    List<ConfigProblem> own = types.validate(t.type(), t.config());
    report(i, t, own);
    if (own.isEmpty()) {
      configValid.add(t.id());
    }
  }

  private void report(int i, TaskSpec t, List<ConfigProblem> found) {
    for (ConfigProblem p : found) {
      problems.add(
          doc.problemAt(
              "/tasks/" + i + "/config" + pointer(p.path()),
              "task '" + t.id() + "' (" + t.type() + "): " + p.message(),
              p.hint()));
    }
  }

  private void checkReferences(Map<String, List<String>> deps) {
    Dag dag;
    try {
      dag = Dag.of(deps);
    } catch (IllegalArgumentException e) {
      dag = null; // a cycle or a missing dependency was reported; check without ancestry
    }
    List<TaskSpec> tasks = flow.tasks();
    Map<String, ParamSpec> params = flow.params();
    for (int i = 0; i < tasks.size(); i++) {
      TaskSpec t = tasks.get(i);
      Set<String> ancestors = dag == null ? null : dag.ancestorsOf(t.id());
      if (ancestors != null && configValid.contains(t.id())) {
        List<TaskSpec> upstream = tasks.stream().filter(u -> ancestors.contains(u.id())).toList();
        report(i, t, types.validateInFlow(t.type(), t, upstream));
      }
      // each reference with where it is written: a value may hold several ("${a}/${b}")
      List<Map.Entry<String, Templates.Reference>> refs = new ArrayList<>();
      for (Templates.Reference r : Templates.references(t.config())) {
        refs.add(Map.entry("/tasks/" + i + "/config" + pointer(r.configPath()), r));
      }
      if (t.approval() != null) {
        Map<String, Object> approval = new java.util.LinkedHashMap<>();
        approval.put("required_if", t.approval().requiredIf());
        approval.put("message", t.approval().message());
        approval.values().removeIf(java.util.Objects::isNull);
        for (Templates.Reference r : Templates.references(approval)) {
          refs.add(Map.entry("/tasks/" + i + "/approval" + pointer(r.configPath()), r));
        }
      }
      for (Map.Entry<String, Templates.Reference> ref : refs) {
        Templates.Reference r = ref.getValue();
        String at = ref.getKey();
        String problem = Templates.problem(r.expression(), params);
        if (problem != null) {
          problems.add(
              doc.problemAt(
                  at, "task '" + t.id() + "': " + problem, Templates.hint(r.expression(), params)));
        } else if (r.isTaskOutput()) {
          String source = r.outputTask();
          if (!indexOf.containsKey(source)) {
            problems.add(
                doc.problemAt(
                    at,
                    "task '" + t.id() + "' reads outputs of missing task '" + source + "'",
                    DidYouMean.hint(source, indexOf.keySet())));
          } else if (ancestors != null && !ancestors.contains(source)) {
            problems.add(
                doc.problemAt(
                    at,
                    "task '"
                        + t.id()
                        + "' reads outputs of '"
                        + source
                        + "', which is not upstream of it",
                    "add '"
                        + source
                        + "' to depends_on of '"
                        + t.id()
                        + "' so its outputs exist when '"
                        + t.id()
                        + "' starts"));
          }
        }
      }
    }
  }

  private void checkStages() {
    Map<String, String> stageOf = new HashMap<>();
    List<StageSpec> stages = flow.stages();
    for (int s = 0; s < stages.size(); s++) {
      StageSpec stage = stages.get(s);
      for (int j = 0; j < stage.taskIds().size(); j++) {
        String id = stage.taskIds().get(j);
        String at = "/stages/" + s + "/tasks/" + j;
        if (!indexOf.containsKey(id)) {
          problems.add(
              doc.problemAt(
                  at,
                  "stage '" + stage.id() + "' lists missing task '" + id + "'",
                  DidYouMean.hint(id, indexOf.keySet())));
        } else if (stageOf.containsKey(id)) {
          problems.add(
              doc.problemAt(
                  at,
                  "task '"
                      + id
                      + "' is in stages '"
                      + stageOf.get(id)
                      + "' and '"
                      + stage.id()
                      + "'",
                  "a task belongs to one stage at most"));
        } else {
          stageOf.put(id, stage.id());
        }
      }
      if (stage.windowStart() != null
          && stage.windowEnd() != null
          && !stage.windowStart().isBefore(stage.windowEnd())) {
        problems.add(
            doc.problemAt(
                "/stages/" + s + "/window",
                "stage '"
                    + stage.id()
                    + "' window starts at "
                    + stage.windowStart()
                    + " but ends at "
                    + stage.windowEnd(),
                "the start must be before the end"));
      }
    }
  }

  /** {@code env.PATH} or {@code command[2]} as a JSON pointer suffix ({@code /env/PATH}). */
  private static String pointer(String configPath) {
    if (configPath == null || configPath.isEmpty()) {
      return "";
    }
    return "/" + configPath.replaceAll("\\[(\\d+)]", ".$1").replace('.', '/');
  }
}
