-- Copies of checkpointed artifacts to object storage; a failed upload stays queued.
CREATE TABLE backups (
    run_id      TEXT    NOT NULL,
    task_id     TEXT    NOT NULL,
    hash        TEXT    NOT NULL,
    target      TEXT    NOT NULL,
    uploaded    INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    updated_at  BIGINT  NOT NULL,
    PRIMARY KEY (run_id, task_id)
);
CREATE INDEX backups_pending ON backups (uploaded) WHERE uploaded = 0;
