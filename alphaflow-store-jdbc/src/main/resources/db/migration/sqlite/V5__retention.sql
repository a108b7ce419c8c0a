-- Retention: when an artifact's files may be deleted, when gc did delete them, and runs that
-- must be kept whatever their tasks' retention says.
ALTER TABLE artifacts ADD COLUMN expires_at BIGINT;
ALTER TABLE artifacts ADD COLUMN deleted_at BIGINT;
ALTER TABLE runs ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
