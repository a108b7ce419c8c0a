-- Requests to a run from outside the process executing it (alphaflow cancel). The executing
-- process polls this table; a request older than the current execution's start is ignored, so
-- resuming a cancelled run is not cancelled again by the old request.
CREATE TABLE run_requests (
    run_id        TEXT    NOT NULL REFERENCES runs (run_id),
    kind          TEXT    NOT NULL,
    reason        TEXT,
    requested_at  BIGINT  NOT NULL,
    PRIMARY KEY (run_id, kind)
);
