-- A relative an account no longer books for is marked removed rather than deleted: past
-- appointments and the practices' files still name that person. The account holder is never removed.
ALTER TABLE patient ADD COLUMN removed_at timestamptz;
ALTER TABLE patient ADD CONSTRAINT patient_only_relatives_removed CHECK (kind = 'RELATIVE' OR removed_at IS NULL);
