package io.alphaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What {@code alphaflow <command> --help} prints. */
class HelpTextTest {
  /**
   * Every command's description is one paragraph: picocli prints each element of a description on
   * lines of its own, so a sentence split over elements wrapped into a stub line per element
   * ("yaml) on", "evaluation,") where one paragraph wraps evenly.
   */
  @Test
  void everyCommandDescribesItselfInOneParagraphThatWrapsEvenly() {
    List<CommandLine> commands = new ArrayList<>();
    for (Class<?> c : AlphaflowCommand.SUBCOMMANDS) {
      collect(new CommandLine(c), commands);
    }
    assertThat(commands).hasSizeGreaterThan(AlphaflowCommand.SUBCOMMANDS.size());
    for (CommandLine command : commands) {
      String name = command.getCommandSpec().qualifiedName();
      assertThat(command.getCommandSpec().usageMessage().description()).as(name).hasSize(1);
    }
  }

  private static void collect(CommandLine command, List<CommandLine> out) {
    out.add(command);
    command.getSubcommands().values().forEach(sub -> collect(sub, out));
  }
}
