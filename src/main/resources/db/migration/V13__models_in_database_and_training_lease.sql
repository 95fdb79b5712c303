-- Issue 14: model versions and the active pointer live in the database, so every replica serves the same model;
-- each replica unpacks a version into its local cache folder (faceroster.model.store) before loading it.
-- Training jobs run on one replica at a time (the 'training' lease); any replica can watch or cancel them.
-- Valid on H2 (default) and PostgreSQL 16.
CREATE TABLE model_version (
    version     VARCHAR(100) PRIMARY KEY,
    metadata    BYTEA        NOT NULL,
    files       BYTEA        NOT NULL,
    files_sha256 VARCHAR(64) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The one active version (a single row, id 1), flipped in the transaction that logs the MODEL_SWITCH change.
CREATE TABLE model_active (
    id         INT          PRIMARY KEY,
    version    VARCHAR(100) NOT NULL,
    changed_at TIMESTAMP WITH TIME ZONE NOT NULL,
    changed_by VARCHAR(100) NOT NULL
);

-- Who runs a job, when it last said so, and a cancel request any replica can make.
ALTER TABLE training_job ADD COLUMN runner VARCHAR(100);
ALTER TABLE training_job ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE training_job ADD COLUMN cancel_requested VARCHAR(500);
ALTER TABLE training_job ADD COLUMN phase VARCHAR(32);

INSERT INTO cluster_lease (name, holder, expires_at) VALUES ('training', NULL, NULL);
