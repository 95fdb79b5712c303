-- Issue 14: embeddings of a face sample made by model versions other than the one face_sample holds. A promotion
-- or rollback stages the new version's embeddings here (face_sample keeps serving the version in force), and the
-- pointer flip swaps them in and keeps the previous version's here, so that a rollback re-embeds nothing. Sealed
-- like face_sample.embedding; gone with their face sample. Valid on H2 and PostgreSQL 16.
CREATE TABLE face_embedding (
    face_id       UUID         NOT NULL REFERENCES face_sample (id) ON DELETE CASCADE,
    model_version VARCHAR(100) NOT NULL,
    embedding     BYTEA        NOT NULL,
    PRIMARY KEY (face_id, model_version)
);
CREATE INDEX face_embedding_version ON face_embedding (model_version);
