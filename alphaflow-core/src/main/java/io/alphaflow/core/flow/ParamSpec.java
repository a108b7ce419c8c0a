package io.alphaflow.core.flow;

import java.util.Objects;

/** A declared flow param; {@code defaultValue} is null when the param is required. */
public record ParamSpec(String name, ParamType type, String defaultValue, String description) {
  public ParamSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
  }

  public boolean required() {
    return defaultValue == null;
  }
}
