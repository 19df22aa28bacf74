-- Appointments. Double booking is impossible: the exclusion constraint refuses two live
-- appointments of one agenda whose time ranges overlap, whatever the application does.

CREATE TABLE appointment
(
    id                   uuid PRIMARY KEY,
    organization_id      uuid        NOT NULL,
    practitioner_id      uuid        NOT NULL,
    site_id              uuid        NOT NULL,
    motive_id            uuid        NOT NULL,
    specialty_code       text        NOT NULL,
    patient_id           uuid        NOT NULL REFERENCES patient (id),
    booked_by_account_id uuid        NOT NULL REFERENCES account (id),
    start_at             timestamptz NOT NULL,
    end_at               timestamptz NOT NULL,
    status               text        NOT NULL CHECK (status IN ('HELD', 'BOOKED', 'ARRIVED', 'SEEN', 'NO_SHOW',
                                                                'CANCELLED', 'EXPIRED')),
    hold_expires_at      timestamptz,
    cancel_reason        text,
    cancelled_by         text CHECK (cancelled_by IN ('PATIENT', 'PRACTICE')),
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    version              int         NOT NULL DEFAULT 1,
    CHECK (end_at > start_at),
    CHECK ((status = 'HELD') = (hold_expires_at IS NOT NULL)),
    CHECK ((status = 'CANCELLED') = (cancel_reason IS NOT NULL)),
    FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner (organization_id, id),
    FOREIGN KEY (organization_id, site_id) REFERENCES site (organization_id, id),
    FOREIGN KEY (organization_id, motive_id) REFERENCES visit_motive (organization_id, id),
    CONSTRAINT appointment_no_overlap EXCLUDE USING gist (
        organization_id WITH =,
        practitioner_id WITH =,
        tstzrange(start_at, end_at, '[)') WITH &&
    ) WHERE (status IN ('HELD', 'BOOKED', 'ARRIVED', 'SEEN', 'NO_SHOW'))
);
CREATE INDEX appointment_agenda_idx ON appointment (practitioner_id, start_at)
    WHERE status IN ('HELD', 'BOOKED', 'ARRIVED', 'SEEN', 'NO_SHOW');
CREATE INDEX appointment_org_start_idx ON appointment (organization_id, start_at);
CREATE INDEX appointment_account_idx ON appointment (booked_by_account_id, start_at);
CREATE INDEX appointment_patient_idx ON appointment (patient_id, start_at);
CREATE INDEX appointment_held_idx ON appointment (hold_expires_at) WHERE status = 'HELD';

ALTER TABLE appointment ENABLE ROW LEVEL SECURITY;
-- The practice sees its own agenda's appointments; a patient account sees those it booked.
CREATE POLICY appointment_of_org ON appointment FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
CREATE POLICY appointment_of_account ON appointment FOR ALL
    USING (booked_by_account_id = access_account()) WITH CHECK (booked_by_account_id = access_account());
GRANT SELECT, INSERT, UPDATE ON appointment TO ${app_role};

-- The one read across organizations: busy time of agendas (appointments still holding their
-- time, and absences) over a bounded window. No patient column leaves this function.
CREATE FUNCTION busy_periods(p_practitioners uuid[], p_from timestamptz, p_to timestamptz, p_now timestamptz,
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
        UNION ALL
        SELECT b.practitioner_id, lower(b.period), upper(b.period)
          FROM absence b
         WHERE b.practitioner_id = ANY (p_practitioners)
           AND b.period && tstzrange(p_from, p_to);
END
$$;
REVOKE ALL ON FUNCTION busy_periods(uuid[], timestamptz, timestamptz, timestamptz, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION busy_periods(uuid[], timestamptz, timestamptz, timestamptz, uuid) TO ${app_role};

-- Holds are released after their time; whoever's hold it was, it must stop blocking the slot.
CREATE FUNCTION release_expired_holds(p_practitioner uuid, p_now timestamptz)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public
AS $$
DECLARE
    released int;
BEGIN
    UPDATE appointment
       SET status = 'EXPIRED', hold_expires_at = NULL, updated_at = p_now, version = version + 1
     WHERE status = 'HELD' AND hold_expires_at <= p_now
       AND (p_practitioner IS NULL OR practitioner_id = p_practitioner);
    GET DIAGNOSTICS released = ROW_COUNT;
    RETURN released;
END
$$;
REVOKE ALL ON FUNCTION release_expired_holds(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION release_expired_holds(uuid, timestamptz) TO ${app_role};
