-- A connected app's own id for a booking (FHIR Appointment.identifier, system and value), so that
-- a retried conditional create (If-None-Exist) finds the booking already made instead of booking
-- twice. Unique per organization, like every constraint on tenant data.
ALTER TABLE appointment
    ADD COLUMN app_identifier_system text,
    ADD COLUMN app_identifier_value  text,
    ADD CONSTRAINT appointment_app_identifier_whole
        CHECK ((app_identifier_system IS NULL) = (app_identifier_value IS NULL));
CREATE UNIQUE INDEX appointment_app_identifier_key
    ON appointment (organization_id, app_identifier_system, app_identifier_value)
    WHERE app_identifier_value IS NOT NULL;
