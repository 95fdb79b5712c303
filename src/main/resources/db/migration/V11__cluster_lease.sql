-- Issue 14: work that must run on one replica at a time (the scheduled retention purge) takes a lease row:
-- a conditional UPDATE succeeds for one replica only; a replica that dies stops renewing and its lease expires.
-- Valid on H2 (default) and PostgreSQL 16.
CREATE TABLE cluster_lease (
    name       VARCHAR(64)  PRIMARY KEY,
    holder     VARCHAR(100),
    expires_at TIMESTAMP WITH TIME ZONE
);
INSERT INTO cluster_lease (name, holder, expires_at) VALUES ('retention-purge', NULL, NULL);
