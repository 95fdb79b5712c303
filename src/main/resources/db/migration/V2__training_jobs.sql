-- Admin retraining jobs (valid on H2 and PostgreSQL 16).
CREATE TABLE training_job (
    id                UUID PRIMARY KEY,
    status            VARCHAR(16)    NOT NULL,
    request_json      VARCHAR(4000)  NOT NULL,
    progress_json     VARCHAR(4000),
    validation_json   VARCHAR(20000),
    candidate_version VARCHAR(100),
    promoted          BOOLEAN        NOT NULL,
    reason            VARCHAR(2000),
    created_at        TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at        TIMESTAMP WITH TIME ZONE,
    finished_at       TIMESTAMP WITH TIME ZONE
);

CREATE INDEX ix_training_job_created ON training_job (created_at);
