package io.alphaflow.core.flow;

/**
 * A problem a task type finds in its own {@code config:}; {@code path} is relative to the config
 * (e.g. {@code command} or {@code env.PATH}), empty for the config as a whole.
 */
public record ConfigProblem(String path, String message, String hint) {}
