-- Times are microseconds since the Unix epoch (UTC), so rows sort and compare as numbers
-- and the same schema fits PostgreSQL's BIGINT.

CREATE TABLE runs (
    run_id        TEXT    PRIMARY KEY,
    flow_name     TEXT    NOT NULL,
    flow_file     TEXT,
    flow_source   TEXT,
    params        TEXT    NOT NULL,  -- JSON object of resolved params
    state         TEXT    NOT NULL,
    created_at    BIGINT  NOT NULL,
    ended_at      BIGINT,
    owner         TEXT,              -- pid@host of the process executing the run
    heartbeat_at  BIGINT,
    error         TEXT
);
CREATE INDEX runs_by_created ON runs (created_at DESC);

CREATE TABLE task_runs (
    run_id           TEXT    NOT NULL REFERENCES runs (run_id),
    task_id          TEXT    NOT NULL,
    seq              INTEGER NOT NULL,  -- declaration order in the flow
    state            TEXT    NOT NULL,
    attempt          INTEGER NOT NULL,
    attempt_floor    INTEGER NOT NULL,
    started_at       BIGINT,
    ended_at         BIGINT,
    next_attempt_at  BIGINT,
    exit_code        INTEGER,
    error            TEXT,
    outputs          TEXT    NOT NULL,  -- JSON object of published outputs
    PRIMARY KEY (run_id, task_id)
);

CREATE TABLE events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    run_id   TEXT    NOT NULL,
    type     TEXT    NOT NULL,
    task_id  TEXT,
    attempt  INTEGER NOT NULL,
    at       BIGINT  NOT NULL,
    message  TEXT    NOT NULL
);
CREATE INDEX events_by_run ON events (run_id, id);
