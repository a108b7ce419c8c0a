package io.alphaflow.core.approval;

/** What a person (or an expired timeout) decided about a task waiting for approval. */
public enum Decision {
  APPROVED,
  REJECTED
}
