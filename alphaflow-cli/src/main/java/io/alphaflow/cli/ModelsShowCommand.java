package io.alphaflow.cli;

import io.alphaflow.core.model.AliasMove;
import io.alphaflow.core.model.ModelRegistry;
import io.alphaflow.core.model.ModelVersion;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "show", description = "One version's manifest, and the model's alias history.")
final class ModelsShowCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The model name.")
  String name;

  @Parameters(
      index = "1",
      paramLabel = "VERSION",
      description = "A version (hash or unique prefix), champion or challenger.")
  String version;

  @Option(names = "--json", description = "Print as JSON.")
  boolean json;

  @Override
  public Integer call() {
    try (Workspace ws = new Workspace(common)) {
      ModelRegistry registry = ModelViews.registry(ws);
      ModelVersion v = registry.find(name, version);
      var out = spec.commandLine().getOut();
      if (json) {
        Map<String, Object> m = ModelViews.json(registry, v);
        m.put("history", registry.history(name));
        out.println(Json.write(m));
      } else {
        out.println("model " + name + "  version " + v.version());
        out.println("aliases: " + String.join(", ", ModelViews.aliasesOf(registry, v)));
        out.println("registered " + RunViews.clock(v.createdAt()) + " by run " + v.runId());
        out.println(
            "files: "
                + v.path()
                + registry
                    .pruned(v)
                    .map(
                        p ->
                            " (pruned on "
                                + p.get("pruned_at")
                                + " by "
                                + p.get("by")
                                + ": "
                                + p.get("deleted")
                                + " deleted, the records kept)")
                    .orElse(""));
        v.manifestMap()
            .forEach(
                (k, val) -> {
                  if (val instanceof Map<?, ?> metrics && k.equals("metrics")) {
                    // one a line, as models diff shows them: counts whole, measures to 4 places
                    out.println("  metrics:");
                    metrics.forEach(
                        (m, x) -> out.println("    " + m + ": " + ModelViews.number(x)));
                  } else {
                    out.println(
                        "  " + k + ": " + ModelVersion.span(val).orElse(String.valueOf(val)));
                  }
                });
        out.println("history:");
        for (AliasMove m : registry.history(name)) {
          out.println(
              "  "
                  + RunViews.clock(m.at())
                  + "  "
                  + m.action()
                  + " "
                  + m.alias()
                  + " -> "
                  + ModelVersion.shortOf(m.version())
                  + " by "
                  + m.by()
                  + (m.reason() == null || m.reason().isBlank() ? "" : ": " + m.reason()));
        }
      }
      out.flush();
      return ExitCode.OK.code();
    }
  }
}
