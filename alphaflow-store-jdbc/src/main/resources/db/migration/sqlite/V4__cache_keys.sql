-- The key a cached task's inputs hash to; a later task run with the same key may reuse the result.
ALTER TABLE task_runs ADD COLUMN cache_key TEXT;
CREATE INDEX task_runs_by_cache_key ON task_runs (cache_key) WHERE cache_key IS NOT NULL;
