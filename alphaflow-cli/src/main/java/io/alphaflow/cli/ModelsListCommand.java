package io.alphaflow.cli;

import io.alphaflow.core.model.ModelRegistry;
import io.alphaflow.core.model.ModelVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "list", description = "Registered models, or the versions of one model.")
final class ModelsListCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "A model name.")
  String name;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      ModelRegistry registry = ModelViews.registry(ws);
      if (name != null) {
        registry.requireModel(name);
      }
      List<String> names = name == null ? registry.names() : List.of(name);
      List<Map<String, Object>> out = new ArrayList<>();
      Table table = new Table("MODEL", "VERSION", "ALIASES", "CREATED", "RUN", "FILES", "METRICS");
      for (String n : names) {
        for (ModelVersion v : registry.versions(n)) {
          out.add(ModelViews.json(registry, v));
          Map<String, Object> m = v.metrics();
          StringBuilder metrics = new StringBuilder();
          for (String key : List.of("r2", "rmse", "roc_auc", "accuracy", "ic_mean")) {
            if (m.get(key) != null) {
              metrics.append(key).append('=').append(ModelViews.number(m.get(key))).append(' ');
            }
          }
          table.row(
              v.name(),
              v.shortVersion(),
              String.join(",", ModelViews.aliasesOf(registry, v)),
              RunViews.clock(v.createdAt()),
              v.runId(),
              registry.pruned(v).isPresent() ? "pruned" : "all",
              metrics.toString().trim());
        }
      }
      var printer = spec.commandLine().getOut();
      if (json) {
        printer.println(Json.write(out));
      } else if (out.isEmpty()) {
        printer.println("no models registered yet");
      } else {
        printer.print(table.render());
      }
      printer.flush();
      return ExitCode.OK.code();
    }
  }
}
