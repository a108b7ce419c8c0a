-- Content-addressed artifacts and their lineage. A hash produced twice keeps its first producer.
ALTER TABLE task_runs ADD COLUMN artifact TEXT;

CREATE TABLE artifacts (
    hash        TEXT    PRIMARY KEY,
    run_id      TEXT    NOT NULL,
    task_id     TEXT    NOT NULL,
    task_type   TEXT,
    path        TEXT    NOT NULL,
    size_bytes  BIGINT  NOT NULL,
    files       INTEGER NOT NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE artifact_inputs (
    hash        TEXT    NOT NULL REFERENCES artifacts (hash),
    input_hash  TEXT    NOT NULL,
    PRIMARY KEY (hash, input_hash)
);
CREATE INDEX artifact_inputs_by_input ON artifact_inputs (input_hash);
