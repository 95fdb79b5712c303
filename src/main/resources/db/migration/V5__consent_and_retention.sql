-- Consent record (required before faces are enrolled, faceroster.privacy.require-consent) and the date an
-- employee left (erased by the retention purge faceroster.privacy.retention-days later).
ALTER TABLE employee ADD COLUMN consent_given_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE employee ADD COLUMN consent_reference VARCHAR(500);
ALTER TABLE employee ADD COLUMN left_at TIMESTAMP WITH TIME ZONE;
CREATE INDEX ix_employee_left_at ON employee (left_at);
