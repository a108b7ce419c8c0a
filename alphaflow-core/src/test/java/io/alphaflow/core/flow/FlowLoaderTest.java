package io.alphaflow.core.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.alphaflow.core.retry.Backoff;
import io.alphaflow.core.testkit.TestFlows;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlowLoaderTest {

  private static List<FlowProblem> problems(String yaml) {
    InvalidFlowException e =
        catchThrowableOfType(InvalidFlowException.class, () -> TestFlows.parse(yaml));
    assertThat(e).as("expected the flow to be invalid").isNotNull();
    return e.problems();
  }

  @Test
  void validFlowIsLoadedWithDefaultsAndParams() {
    Flow flow =
        TestFlows.parse(
            """
            name: hello
            params:
              n: {type: int, default: 3}
            defaults:
              retry: {max_attempts: 3, backoff: linear, base_delay: 2s}
              timeout: 5m
            tasks:
              - id: a
                type: noop
              - id: b
                type: shell
                depends_on: [a]
                priority: HIGH
                timeout: 1h30m
                config: {command: ["echo", "${params.n}"]}
            """);

    assertThat(flow.name()).isEqualTo("hello");
    assertThat(flow.params().get("n").type()).isEqualTo(ParamType.INT);
    assertThat(flow.defaults().retry().backoff()).isEqualTo(Backoff.LINEAR);
    TaskSpec b = flow.task("b").orElseThrow().effective(flow.defaults());
    assertThat(b.priority()).isEqualTo(Priority.HIGH);
    assertThat(b.timeout()).isEqualTo(Duration.ofMinutes(90));
    assertThat(b.retry().toPolicy().maxAttempts()).isEqualTo(3);
    assertThat(b.retry().toPolicy().baseDelay()).isEqualTo(Duration.ofSeconds(2));
    assertThat(flow.task("a").orElseThrow().effective(flow.defaults()).timeout())
        .isEqualTo(Duration.ofMinutes(5));
  }

  @Test
  void unknownTaskTypeSuggestsTheClosestOne() {
    List<FlowProblem> p = problems("name: f\ntasks:\n  - id: a\n    type: shel\n");
    assertThat(p)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.line()).isEqualTo(4);
              assertThat(x.column()).isEqualTo(11);
              assertThat(x.message()).contains("unknown task type 'shel'");
              assertThat(x.hint()).contains("did you mean 'shell'");
            });
  }

  @Test
  void unknownFieldSuggestsTheClosestOneAtItsKey() {
    List<FlowProblem> p =
        problems("name: f\ntasks:\n  - id: a\n    type: noop\n    prioritty: HIGH\n");
    assertThat(p)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.line()).isEqualTo(5);
              assertThat(x.column()).isEqualTo(5);
              assertThat(x.message()).contains("unknown field 'prioritty'");
              assertThat(x.hint()).contains("did you mean 'priority'");
            });
  }

  @Test
  void tasksKeyedByIdAreShownTheListForm() {
    List<FlowProblem> p = problems("name: f\ntasks:\n  extract:\n    type: noop\n");
    assertThat(p)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.line()).isEqualTo(3);
              assertThat(x.message()).isEqualTo("tasks should be a list, not a mapping");
              assertThat(x.hint()).contains("'- id: extract'");
            });
  }

  @Test
  void duplicateTaskIdIsReported() {
    List<FlowProblem> p =
        problems("name: f\ntasks:\n  - id: a\n    type: noop\n  - id: a\n    type: noop\n");
    assertThat(p)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.line()).isEqualTo(5);
              assertThat(x.message()).isEqualTo("duplicate task id 'a'");
            });
  }

  @Test
  void dependencyOnMissingTaskIsReported() {
    List<FlowProblem> p =
        problems("name: f\ntasks:\n  - id: load\n    type: noop\n    depends_on: [lod2]\n");
    assertThat(p)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.line()).isEqualTo(5);
              assertThat(x.message()).contains("depends on missing task 'lod2'");
            });
  }

  @Test
  void cycleIsPrintedAsAPath() {
    List<FlowProblem> p =
        problems(
            """
            name: f
            tasks:
              - {id: a, type: noop, depends_on: [c]}
              - {id: b, type: noop, depends_on: [a]}
              - {id: c, type: noop, depends_on: [b]}
            """);
    assertThat(p)
        .singleElement()
        .extracting(FlowProblem::message)
        .isEqualTo("dependency cycle: a -> b -> c -> a");
  }

  @Test
  void selfDependencyIsACycle() {
    List<FlowProblem> p = problems("name: f\ntasks:\n  - {id: a, type: noop, depends_on: [a]}\n");
    assertThat(p)
        .singleElement()
        .extracting(FlowProblem::message)
        .isEqualTo("dependency cycle: a -> a");
  }

  @Test
  void badDurationAndBadEnumCarryTheValueAndTheChoices() {
    List<FlowProblem> p =
        problems(
            """
            name: f
            tasks:
              - id: a
                type: noop
                timeout: 5 minutes
                priority: URGENT
                trigger_rule: all_succeeded
                retry: {backoff: exponentially}
            """);
    assertThat(p)
        .extracting(FlowProblem::message)
        .containsExactly(
            "bad duration '5 minutes' for tasks[0].timeout",
            "bad value 'URGENT' for tasks[0].priority",
            "bad value 'all_succeeded' for tasks[0].trigger_rule",
            "bad value 'exponentially' for tasks[0].retry.backoff");
    assertThat(p.get(0).hint()).contains("5m");
    assertThat(p.get(1).hint()).isEqualTo("use one of CRITICAL, HIGH, MEDIUM, LOW");
  }

  @Test
  void unknownParamReferenceIsAValidationError() {
    List<FlowProblem> p =
        problems(
            """
            name: f
            params: {date: {type: date}}
            tasks:
              - {id: a, type: shell, config: {command: ["echo", "${params.dat}"]}}
            """);
    assertThat(p)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.message()).contains("unknown param 'dat'");
              assertThat(x.hint()).contains("date");
            });
  }

  @Test
  void outputsOfATaskThatIsNotUpstreamAreRefused() {
    List<FlowProblem> p =
        problems(
            """
            name: f
            tasks:
              - {id: a, type: noop}
              - {id: b, type: shell, config: {command: ["echo", "${tasks.a.outputs.path}"]}}
            """);
    assertThat(p)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.message()).contains("reads outputs of 'a', which is not upstream");
              assertThat(x.hint()).contains("depends_on");
            });
  }

  @Test
  void everyReferenceInAValueIsCheckedTheApprovalMessagesToo() {
    List<FlowProblem> p =
        problems(
            """
            name: f
            tasks:
              - {id: a, type: noop}
              - id: b
                type: noop
                approval: {message: "see ${tasks.a.output_dir} and ${params.dsk}"}
              - {id: c, type: noop, config: {x: "${tasks.a.output_dir}/${params.nope}"}}
            """);
    assertThat(p)
        .extracting(x -> x.line() + ": " + x.message())
        .containsExactlyInAnyOrder(
            "6: task 'b' reads outputs of 'a', which is not upstream of it",
            "6: task 'b': unknown param 'dsk'",
            "7: task 'c' reads outputs of 'a', which is not upstream of it",
            "7: task 'c': unknown param 'nope'");
  }

  @Test
  void paramsInsideAShellScriptStringAreRefused() {
    List<FlowProblem> p =
        problems(
            """
            name: f
            params: {n: {type: int, default: 1}}
            tasks:
              - {id: a, type: shell, config: {command: ["sh", "-c", "echo ${params.n}"]}}
            """);
    assertThat(p).singleElement().extracting(FlowProblem::hint).asString().contains("env");
  }

  @Test
  void everyProblemIsReportedAtOnceInFileOrder() {
    List<FlowProblem> p =
        problems(
            """
            name: f
            tasks:
              - id: a
                type: shel
              - id: b
                type: noop
                depends_on: [zzz]
                colour: red
            """);
    assertThat(p).hasSize(3);
    assertThat(p).extracting(FlowProblem::line).isSorted();
  }

  @Test
  void yamlSyntaxErrorHasALine() {
    List<FlowProblem> p = problems("name: f\ntasks:\n  - id: a\n   type: noop\n  - [\n");
    assertThat(p).isNotEmpty();
    assertThat(p.get(0).message()).startsWith("not valid YAML");
    assertThat(p.get(0).line()).isGreaterThan(0);
  }

  @Test
  void emptyFileAndMissingTasksAreReported() {
    assertThat(problems("")).extracting(FlowProblem::message).containsExactly("the file is empty");
    assertThat(problems("name: f\n"))
        .extracting(FlowProblem::message)
        .containsExactly("missing required field 'tasks'");
  }

  @Test
  void badParamDefaultIsReported() {
    List<FlowProblem> p =
        problems(
            "name: f\nparams: {d: {type: date, default: yesterday}}\ntasks: [{id: a, type: noop}]\n");
    assertThat(p)
        .singleElement()
        .extracting(FlowProblem::message)
        .asString()
        .contains("default 'yesterday' of param 'd' is not a date");
  }

  @Test
  void aParamDefaultMayNameOnlyTheFlowsDirectory() {
    assertThat(
            TestFlows.parse(
                    "name: f\nparams: {p: {type: string, default: \"${flow.dir}/x.csv\"}}\n"
                        + "tasks: [{id: a, type: noop}]\n")
                .params()
                .get("p")
                .defaultValue())
        .isEqualTo("${flow.dir}/x.csv");
    assertThat(
            problems(
                "name: f\nparams: {p: {type: string, default: \"${run.id}/x.csv\"}}\n"
                    + "tasks: [{id: a, type: noop}]\n"))
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.message())
                  .contains(
                      "default '${run.id}/x.csv' of param 'p' holds ${run.id}, which a param's"
                          + " default cannot use");
              assertThat(p.hint()).contains("${flow.dir}");
            });
  }

  @Test
  void missingFileIsNotFound() {
    assertThatThrownBy(
            () -> new FlowLoader(TestFlows.registry()).load(java.nio.file.Path.of("nope.yaml")))
        .hasMessageContaining("no flow file at nope.yaml");
  }
}
