package io.alphaflow.cli;

import io.alphaflow.core.NotFoundException;
import io.alphaflow.core.model.ModelRegistry;
import io.alphaflow.core.model.ModelVersion;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
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
    description = "Two versions' metrics side by side (versions of any model, by hash or prefix).")
final class ModelsDiffCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "V1", description = "A version (hash or unique prefix).")
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
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(a.version(), ma);
        m.put(b.version(), mb);
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
      out.flush();
      return ExitCode.OK.code();
    }
  }

  private static ModelVersion find(ModelRegistry registry, String version) {
    ModelVersion found = null;
    for (String name : registry.names()) {
      for (ModelVersion v : registry.versions(name)) {
        if (v.version().startsWith(version)) {
          if (found != null) {
            throw new io.alphaflow.core.InvalidInputException(
                "version prefix '" + version + "' matches several versions; give more of the hash");
          }
          found = v;
        }
      }
    }
    if (found == null) {
      throw new NotFoundException(
          "no model version '" + version + "'; see 'alphaflow models list'");
    }
    return found;
  }
}
