package io.alphaflow.core.flow;

import io.alphaflow.core.NotFoundException;
import io.alphaflow.core.flow.internal.FlowReader;
import io.alphaflow.core.flow.internal.SchemaCheck;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Loads flow files. Every problem in a file is reported at once, each with file:line:column, the
 * bad value and a hint, as one {@link InvalidFlowException}.
 */
public final class FlowLoader {
  private final TaskTypes types;

  public FlowLoader(TaskTypes types) {
    this.types = types;
  }

  /**
   * Sets the flow schema checker up on a background thread: a command about to load a flow starts
   * this first, so the JSON Schema library's 0.1 s of set-up overlaps its own start instead of
   * delaying the flow.
   */
  public static void prepareInBackground() {
    Thread.ofPlatform().daemon().name("flow-schema-setup").start(SchemaCheck::prepare);
  }

  public Flow load(Path file) {
    String source;
    try {
      source = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new NotFoundException("no flow file at " + file + ": check the path");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read flow file " + file, e);
    }
    return parse(file.toString(), source);
  }

  /** Parses {@code source}; {@code fileName} is only used in messages. */
  public Flow parse(String fileName, String source) {
    return FlowReader.read(fileName, source, types);
  }
}
