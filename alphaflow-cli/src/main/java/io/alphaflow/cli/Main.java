package io.alphaflow.cli;

import io.alphaflow.core.AlphaflowException;
import io.alphaflow.core.ConflictException;
import io.alphaflow.core.InvalidInputException;
import io.alphaflow.core.NotFoundException;
import io.alphaflow.core.flow.FlowLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code alphaflow} command line. The only {@code main} in alphaflow. */
public final class Main {
  private Main() {}

  /** The commands that load a flow (from a file or, resuming a run, from the store). */
  private static final List<Class<?>> LOAD_A_FLOW =
      List.of(
          FlowRunCommand.class,
          FlowValidateCommand.class,
          FlowGraphCommand.class,
          FlowBackfillCommand.class,
          DemoCommand.class,
          RunResumeCommand.class,
          TaskRerunCommand.class,
          TaskApproveCommand.class,
          TaskRejectCommand.class);

  public static void main(String[] args) {
    Class<?> named = args.length == 0 ? null : subcommand(args[0]);
    if (named != null && LOAD_A_FLOW.contains(named)) {
      // logging is set up here first: the schema library logs while it sets up, and two threads
      // starting logback at once made SLF4J print a warning about replayed calls on stderr
      configureLogging(args);
      LoggerFactory.getILoggerFactory();
      FlowLoader.prepareInBackground();
    }
    System.exit(run(args));
  }

  /** Runs the CLI in this JVM and returns the exit code (tests call this). */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs the CLI with its output going to {@code out} and {@code err}. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    configureLogging(args);
    CommandLine cli = commandLine(args);
    cli.setOut(out);
    cli.setErr(err);
    try {
      return cli.execute(args);
    } finally {
      cli.getOut().flush();
      cli.getErr().flush();
    }
  }

  /**
   * The command line for {@code args}: the root with the one subcommand {@code args[0]} names, none
   * for {@code --version}, or all of them otherwise (help, a typo: picocli then lists them).
   */
  static CommandLine commandLine(String... args) {
    CommandLine cli = new CommandLine(new AlphaflowCommand());
    String first = args.length == 0 ? "" : args[0];
    Class<?> named = subcommand(first);
    List<Class<?>> needed =
        named != null
            ? List.of(named)
            : first.equals("--version") || first.equals("-V")
                ? List.of()
                : AlphaflowCommand.SUBCOMMANDS;
    needed.forEach(cli::addSubcommand);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExecutionExceptionHandler(Main::handle);
    cli.setParameterExceptionHandler(
        (ex, a) -> {
          PrintWriter err = ex.getCommandLine().getErr();
          err.println("alphaflow: " + ex.getMessage());
          // "Did you mean: alphaflow status?" for a mistyped command or option
          CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
          err.println("try: " + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help");
          return ExitCode.INVALID_INPUT.code();
        });
    return cli;
  }

  private static Class<?> subcommand(String name) {
    for (Class<?> c : AlphaflowCommand.SUBCOMMANDS) {
      Command command = c.getAnnotation(Command.class);
      if (command.name().equals(name) || Arrays.asList(command.aliases()).contains(name)) {
        return c;
      }
    }
    return null;
  }

  private static int handle(Exception e, CommandLine cli, CommandLine.ParseResult parsed) {
    PrintWriter err = cli.getErr();
    Logger log = LoggerFactory.getLogger(Main.class);
    if (e instanceof InvalidInputException
        || e instanceof NotFoundException
        || e instanceof ConflictException) {
      log.info("user error: {}", e.getMessage());
      String said = e.getMessage();
      if (e instanceof NotFoundException && said.startsWith("no run '")) {
        // the commonest cause: the run was started with another --home
        said +=
            " (the store of "
                + System.getProperty("alphaflow.home", CommonOptions.DEFAULT_HOME)
                + "; a run started with another --home or --settings is in that store: pass the"
                + " same option here)";
      }
      err.println("alphaflow: " + said);
      return ExitCode.INVALID_INPUT.code();
    }
    log.error("internal error", e);
    String what = e instanceof AlphaflowException ? e.getMessage() : e.toString();
    err.println("alphaflow: internal error: " + what);
    err.println(
        "details: "
            + Path.of(
                System.getProperty("alphaflow.home", CommonOptions.DEFAULT_HOME),
                "logs",
                "alphaflow.log"));
    return ExitCode.INTERNAL_ERROR.code();
  }

  /**
   * Logback reads these properties when it starts, which is before picocli has parsed anything, so
   * the two options that shape logging are picked out of the raw arguments here.
   */
  private static void configureLogging(String[] args) {
    String home = CommonOptions.DEFAULT_HOME;
    String level = System.getenv("LOG_LEVEL");
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("--home") && i + 1 < args.length) {
        home = args[i + 1];
      } else if (a.startsWith("--home=")) {
        home = a.substring("--home=".length());
      } else if (a.equals("--log-level") && i + 1 < args.length) {
        level = args[i + 1];
      } else if (a.startsWith("--log-level=")) {
        level = a.substring("--log-level=".length());
      }
    }
    System.setProperty("alphaflow.home", home);
    if (level != null && !level.isBlank()) {
      System.setProperty("alphaflow.log.level", level.trim().toUpperCase(java.util.Locale.ROOT));
      System.setProperty(
          "alphaflow.console.level", level.trim().toUpperCase(java.util.Locale.ROOT));
    }
  }
}
