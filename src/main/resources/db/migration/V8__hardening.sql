-- Issue 10 (hardening). The audit trail keeps the server's request id and, beside it, the id a client sent.
ALTER TABLE audit_event ADD COLUMN client_request_id VARCHAR(100);

-- Secrets the service generates once and keeps (the HMAC key of training pseudonyms); never shown by the API.
CREATE TABLE service_secret (
    name       VARCHAR(64)  PRIMARY KEY,
    secret     VARCHAR(200) NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL
);
