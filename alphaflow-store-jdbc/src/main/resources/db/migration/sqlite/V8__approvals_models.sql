-- Human decisions on tasks waiting in AWAITING_APPROVAL; the first decision stands.
CREATE TABLE approvals (
    run_id      TEXT   NOT NULL,
    task_id     TEXT   NOT NULL,
    decision    TEXT   NOT NULL,
    decided_by  TEXT   NOT NULL,
    comment     TEXT,
    decided_at  BIGINT NOT NULL,
    PRIMARY KEY (run_id, task_id)
);

-- The model registry: versions keyed by content hash, aliases, and every alias move.
CREATE TABLE model_versions (
    name        TEXT   NOT NULL,
    version     TEXT   NOT NULL,
    path        TEXT   NOT NULL,
    manifest    TEXT,
    run_id      TEXT,
    task_id     TEXT,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (name, version)
);
CREATE TABLE model_aliases (
    name        TEXT NOT NULL,
    alias       TEXT NOT NULL,
    version     TEXT NOT NULL,
    PRIMARY KEY (name, alias)
);
CREATE TABLE model_alias_moves (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT   NOT NULL,
    alias       TEXT   NOT NULL,
    version     TEXT   NOT NULL,
    previous    TEXT,
    action      TEXT   NOT NULL,
    moved_by    TEXT   NOT NULL,
    reason      TEXT,
    moved_at    BIGINT NOT NULL
);
CREATE INDEX model_alias_moves_name ON model_alias_moves (name, seq);
