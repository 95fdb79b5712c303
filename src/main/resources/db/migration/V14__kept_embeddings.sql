-- Issue 14: embeddings of a face sample by model versions other than the one it was enrolled with (that one stays
-- in face_sample). A promotion or rollback writes the new version's here while the version in force keeps serving,
-- so the pointer flip moves no data and a rollback finds the previous version's here. Sealed like
-- face_sample.embedding; gone with their face sample. Valid on H2 and PostgreSQL 16.
CREATE TABLE face_embedding (
    face_id       UUID         NOT NULL REFERENCES face_sample (id) ON DELETE CASCADE,
    model_version VARCHAR(100) NOT NULL,
    embedding     BYTEA        NOT NULL,
    PRIMARY KEY (face_id, model_version)
);
CREATE INDEX face_embedding_version ON face_embedding (model_version);
