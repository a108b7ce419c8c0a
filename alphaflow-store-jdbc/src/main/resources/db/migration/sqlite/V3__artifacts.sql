-- Artifacts: the files one task run made, named by their content hash, with lineage. The same
-- content made by two task runs is two rows with one hash: each copy has its own place on disk
-- and its own retention.
ALTER TABLE task_runs ADD COLUMN artifact TEXT;

CREATE TABLE artifacts (
    run_id      TEXT    NOT NULL,
    task_id     TEXT    NOT NULL,
    hash        TEXT    NOT NULL,
    task_type   TEXT,
    code_version TEXT,
    path        TEXT    NOT NULL,
    size_bytes  BIGINT  NOT NULL,
    files       INTEGER NOT NULL,
    created_at  BIGINT  NOT NULL,
    PRIMARY KEY (run_id, task_id)
);
CREATE INDEX artifacts_by_hash ON artifacts (hash);

CREATE TABLE artifact_inputs (
    run_id      TEXT    NOT NULL,
    task_id     TEXT    NOT NULL,
    input_hash  TEXT    NOT NULL,
    PRIMARY KEY (run_id, task_id, input_hash)
);
CREATE INDEX artifact_inputs_by_input ON artifact_inputs (input_hash);
