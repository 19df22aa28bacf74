-- The practice workspace: per-agenda rights of staff, the organization's patient file,
-- organization settings and the waiting list.

-- Rights are given per agenda, like a secretary working for two of five doctors.
CREATE TABLE agenda_right
(
    organization_id         uuid        NOT NULL,
    account_id              uuid        NOT NULL,
    practitioner_id         uuid        NOT NULL,
    view_appointments       boolean     NOT NULL,
    manage_appointments     boolean     NOT NULL,
    manage_settings         boolean     NOT NULL,
    granted_by_account_id   uuid,
    granted_at              timestamptz NOT NULL,
    PRIMARY KEY (organization_id, account_id, practitioner_id),
    FOREIGN KEY (organization_id, account_id) REFERENCES staff_member (organization_id, account_id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner (organization_id, id),
    CHECK (view_appointments OR NOT manage_appointments)
);
CREATE INDEX agenda_right_account_idx ON agenda_right (account_id);
ALTER TABLE agenda_right ENABLE ROW LEVEL SECURITY;
CREATE POLICY agenda_right_of_org ON agenda_right FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON agenda_right TO ${app_role};

-- Settings an organization admin changes.
ALTER TABLE organization ADD COLUMN no_show_block_threshold int CHECK (no_show_block_threshold BETWEEN 1 AND 100);

-- The organization's own patient file: people it receives, whether they booked online or phoned.
CREATE TABLE org_patient
(
    id                     uuid PRIMARY KEY,
    organization_id        uuid        NOT NULL REFERENCES organization (id),
    patient_id             uuid REFERENCES patient (id),
    account_id             uuid REFERENCES account (id),
    first_name             text        NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    last_name              text        NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    birth_date             date        NOT NULL,
    phone                  text,
    email                  text,
    search_name            text        NOT NULL,
    no_show_count          int         NOT NULL DEFAULT 0,
    online_booking_blocked boolean     NOT NULL DEFAULT false,
    created_at             timestamptz NOT NULL,
    UNIQUE (organization_id, id),
    UNIQUE (organization_id, patient_id)
);
CREATE INDEX org_patient_name_idx ON org_patient (organization_id, search_name text_pattern_ops);
CREATE INDEX org_patient_phone_idx ON org_patient (organization_id, phone);
CREATE INDEX org_patient_birth_idx ON org_patient (organization_id, birth_date);
ALTER TABLE org_patient ENABLE ROW LEVEL SECURITY;
CREATE POLICY org_patient_of_org ON org_patient FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, UPDATE ON org_patient TO ${app_role};

-- An appointment is the organization's (org_patient_id) and, when booked online or linked, a
-- patient account's (patient_id, booked_by_account_id: the account that sees it).
ALTER TABLE appointment
    ALTER COLUMN patient_id DROP NOT NULL,
    ALTER COLUMN booked_by_account_id DROP NOT NULL,
    ADD COLUMN org_patient_id uuid,
    ADD CONSTRAINT appointment_org_patient_fk FOREIGN KEY (organization_id, org_patient_id)
        REFERENCES org_patient (organization_id, id),
    ADD CONSTRAINT appointment_has_patient CHECK (patient_id IS NOT NULL OR org_patient_id IS NOT NULL);
CREATE INDEX appointment_org_patient_idx ON appointment (org_patient_id, start_at);

-- A patient booking online enters the organization's file: this function, called inside the
-- patient's own transaction, files the patient's own person (and nobody else's) with the
-- organization, and says whether the organization has blocked online booking for them.
CREATE FUNCTION file_patient_with_organization(p_org uuid, p_patient uuid, p_now timestamptz)
    RETURNS TABLE (org_patient_id uuid, blocked boolean)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public
AS $$
DECLARE
    person record;
BEGIN
    SELECT p.id, p.first_name, p.last_name, p.birth_date, a.phone, a.email
      INTO person
      FROM patient p JOIN account a ON a.id = p.account_id
     WHERE p.id = p_patient AND p.account_id = access_account();
    IF NOT FOUND THEN
        RAISE EXCEPTION 'not the caller''s patient' USING ERRCODE = '42501';
    END IF;
    INSERT INTO org_patient (id, organization_id, patient_id, account_id, first_name, last_name, birth_date, phone,
                             email, search_name, created_at)
    VALUES (gen_random_uuid(), p_org, person.id, access_account(), person.first_name, person.last_name, person.birth_date,
            person.phone, person.email, lower(person.last_name || ' ' || person.first_name), p_now)
    ON CONFLICT (organization_id, patient_id) DO NOTHING;
    RETURN QUERY SELECT o.id, o.online_booking_blocked FROM org_patient o
                  WHERE o.organization_id = p_org AND o.patient_id = p_patient;
END
$$;
REVOKE ALL ON FUNCTION file_patient_with_organization(uuid, uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION file_patient_with_organization(uuid, uuid, timestamptz) TO ${app_role};

-- The waiting list of an agenda and motive: a freed slot is offered in order.
CREATE TABLE waitlist_entry
(
    id                     uuid PRIMARY KEY,
    organization_id        uuid        NOT NULL,
    practitioner_id        uuid        NOT NULL,
    motive_id              uuid        NOT NULL,
    patient_id             uuid        NOT NULL REFERENCES patient (id),
    account_id             uuid        NOT NULL REFERENCES account (id),
    org_patient_id         uuid        NOT NULL,
    status                 text        NOT NULL CHECK (status IN ('WAITING', 'OFFERED', 'BOOKED', 'WITHDRAWN')),
    offered_appointment_id uuid,
    created_at             timestamptz NOT NULL,
    updated_at             timestamptz NOT NULL,
    -- Order of arrival, when two entries share a time; internal, never shown.
    queue_number           bigint GENERATED ALWAYS AS IDENTITY,
    FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner (organization_id, id),
    FOREIGN KEY (organization_id, motive_id) REFERENCES visit_motive (organization_id, id),
    FOREIGN KEY (organization_id, org_patient_id) REFERENCES org_patient (organization_id, id),
    UNIQUE (organization_id, id)
);
CREATE UNIQUE INDEX waitlist_one_live_entry_idx ON waitlist_entry (organization_id, practitioner_id, motive_id, patient_id)
    WHERE status IN ('WAITING', 'OFFERED');
CREATE INDEX waitlist_queue_idx ON waitlist_entry (practitioner_id, created_at, queue_number) WHERE status = 'WAITING';
ALTER TABLE waitlist_entry ENABLE ROW LEVEL SECURITY;
CREATE POLICY waitlist_of_org ON waitlist_entry FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
CREATE POLICY waitlist_of_account ON waitlist_entry FOR ALL
    USING (account_id = access_account()) WITH CHECK (account_id = access_account());
GRANT SELECT, INSERT, UPDATE ON waitlist_entry TO ${app_role};

-- How an organization's admin recognizes its staff (account rows are private to their owner).
ALTER TABLE staff_member ADD COLUMN email text;

-- Waiting-list offers left unanswered: the entry gives up its place, and the slot goes to the next
-- in line. Returns the appointments whose slot is to be offered again.
CREATE FUNCTION expire_waitlist_offers(p_now timestamptz)
    RETURNS TABLE (organization_id uuid, appointment_id uuid)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public
AS $$
BEGIN
    RETURN QUERY
        UPDATE waitlist_entry w SET status = 'WITHDRAWN', updated_at = p_now
          FROM appointment a
         WHERE w.status = 'OFFERED' AND a.id = w.offered_appointment_id
           AND (a.status = 'EXPIRED' OR (a.status = 'HELD' AND a.hold_expires_at <= p_now))
        RETURNING w.organization_id, w.offered_appointment_id;
END
$$;
REVOKE ALL ON FUNCTION expire_waitlist_offers(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION expire_waitlist_offers(timestamptz) TO ${app_role};
