-- Issue 15: which replica runs an import (its archive is on that replica's disk) and when it last reported
-- progress, so that another replica fails it only when that replica has stopped. Valid on H2 and PostgreSQL 16.
ALTER TABLE import_job ADD COLUMN runner VARCHAR(100);
ALTER TABLE import_job ADD COLUMN heartbeat_at TIMESTAMP WITH TIME ZONE;
