package io.alphaflow.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * An alias ({@code champion}, {@code challenger}) moved to a version: by whom, when and why.
 *
 * @param previous the version the alias pointed to before (null: none); a move is applied only if
 *     the alias still points there, so two concurrent promotions cannot both win
 * @param action "promote" or "rollback"
 */
public record AliasMove(
    String name,
    String alias,
    String version,
    String previous,
    String action,
    String by,
    String reason,
    Instant at) {
  public AliasMove {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(at, "at");
    if (by == null || by.isBlank()) {
      throw new IllegalArgumentException("moving alias '" + alias + "' needs a name in 'by'");
    }
  }
}
