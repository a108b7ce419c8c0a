package io.alphaflow.cli;

import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.model.PruneReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "prune",
    description =
        "Delete old versions' model files (model.bin, predictions), keeping their records; the"
            + " champion, the challenger, their --keep rollback targets, the --keep newest, those"
            + " named by --keep-version and versions of runs still going keep everything.")
final class ModelsPruneCommand implements Callable<Integer> {
  @Mixin CommonOptions common;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The model name.")
  String name;

  @Option(
      names = "--keep",
      defaultValue = "5",
      paramLabel = "N",
      description =
          "Keep the N newest versions, and the N each alias returns to in successive rollbacks"
              + " (default ${DEFAULT-VALUE}).")
  int keep;

  @Option(
      names = "--keep-version",
      paramLabel = "VERSION",
      description =
          "Keep this version too (hash or unique prefix; repeatable): one a flow scores with by"
              + " name (score's version:), which the registry cannot see.")
  List<String> keepVersions = new ArrayList<>();

  @Option(names = "--dry-run", description = "Say what would be deleted; delete nothing.")
  boolean dryRun;

  @Option(
      names = "--by",
      paramLabel = "NAME",
      description = "Who prunes (recorded in each pruned version); needed unless --dry-run.")
  String by;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Override
  public Integer call() {
    if (by == null && !dryRun) {
      throw new InvalidInputException(
          "models prune deletes files: say who does it with --by NAME (or look first with"
              + " --dry-run)");
    }
    try (Workspace ws = new Workspace(common)) {
      PruneReport report = ModelViews.registry(ws).prune(name, keep, keepVersions, by, dryRun);
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (PruneReport.Item i : report.items()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("version", i.version().version());
          m.put("action", i.action().name().toLowerCase(Locale.ROOT));
          m.put("bytes", i.bytes());
          m.put("why", i.why());
          items.add(m);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", name);
        m.put("dry_run", dryRun);
        m.put("freed_bytes", report.freedBytes());
        m.put("versions", items);
        out.println(Json.write(m));
      } else {
        Table t = new Table("ACTION", "VERSION", "CREATED", "BYTES", "WHY");
        for (PruneReport.Item i : report.items()) {
          t.row(
              action(i.action()),
              i.version().shortVersion(),
              RunViews.clock(i.version().createdAt()),
              i.bytes(),
              i.why());
        }
        out.print(t.render());
        out.println((dryRun ? "would free " : "freed ") + report.freedBytes() + " bytes");
      }
      out.flush();
      return ExitCode.OK.code();
    }
  }

  private String action(PruneReport.Action a) {
    return switch (a) {
      case PRUNED -> dryRun ? "would prune" : "pruned";
      case KEPT -> "kept";
      case PRUNED_BEFORE -> "pruned before";
    };
  }
}
