-- Canary records: decoy patients and appointments in every organization's file, which no
-- legitimate flow shows (the staff agenda, the desk's patient search, a patient's own lists, slot
-- search all leave them out) but which a sweep of the FHIR API reaches. Reading one is the signal
-- that someone is reading more than their work needs.

ALTER TABLE org_patient
    ADD COLUMN decoy boolean NOT NULL DEFAULT false,
    -- A decoy is nobody: no patient account stands behind it.
    ADD CONSTRAINT org_patient_decoy_is_nobody CHECK (NOT decoy OR (patient_id IS NULL AND account_id IS NULL));
ALTER TABLE appointment
    ADD COLUMN decoy boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT appointment_decoy_is_nobodys CHECK (NOT decoy OR (patient_id IS NULL AND booked_by_account_id IS NULL));

-- The seeding pass asks whether an organization has its decoys, and moves those coming near.
CREATE INDEX org_patient_decoy_idx ON org_patient (organization_id) WHERE decoy;
CREATE INDEX appointment_decoy_idx ON appointment (organization_id, start_at) WHERE decoy;

-- A decoy never holds time: it must not block a real booking, even one at its night-time hour.
ALTER TABLE appointment
    DROP CONSTRAINT appointment_no_overlap,
    ADD CONSTRAINT appointment_no_overlap EXCLUDE USING gist (
        organization_id WITH =,
        practitioner_id WITH =,
        tstzrange(start_at, end_at, '[)') WITH &&
    ) WHERE (status IN ('HELD', 'BOOKED', 'ARRIVED', 'SEEN', 'NO_SHOW') AND NOT decoy);

-- As in V5, with decoys left out: public search never sees them as busy time.
CREATE OR REPLACE FUNCTION busy_periods(p_practitioners uuid[], p_from timestamptz, p_to timestamptz, p_now timestamptz,
                                        p_exclude uuid)
    RETURNS TABLE (practitioner_id uuid, start_at timestamptz, end_at timestamptz)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public
AS $$
BEGIN
    IF p_to - p_from > interval '62 days' THEN
        RAISE EXCEPTION 'busy_periods window too long' USING ERRCODE = '22023';
    END IF;
    IF cardinality(p_practitioners) > 2000 THEN
        RAISE EXCEPTION 'busy_periods: too many agendas' USING ERRCODE = '22023';
    END IF;
    RETURN QUERY
        SELECT a.practitioner_id, a.start_at, a.end_at
          FROM appointment a
         WHERE a.practitioner_id = ANY (p_practitioners)
           AND a.status IN ('HELD', 'BOOKED', 'ARRIVED', 'SEEN', 'NO_SHOW')
           AND (a.status <> 'HELD' OR a.hold_expires_at > p_now)
           AND a.start_at < p_to AND a.end_at > p_from
           AND (p_exclude IS NULL OR a.id <> p_exclude)
           AND NOT a.decoy
        UNION ALL
        SELECT b.practitioner_id, lower(b.period), upper(b.period)
          FROM absence b
         WHERE b.practitioner_id = ANY (p_practitioners)
           AND b.period && tstzrange(p_from, p_to);
END
$$;
