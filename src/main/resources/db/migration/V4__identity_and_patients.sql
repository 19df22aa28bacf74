-- Accounts (patients and staff) and the people a patient books for.

CREATE TABLE account
(
    id            uuid PRIMARY KEY,
    email         text        NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
    phone         text        NOT NULL,
    password_hash text        NOT NULL,
    kind          text        NOT NULL CHECK (kind IN ('PATIENT', 'STAFF', 'PLATFORM_ADMIN')),
    disabled      boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX account_email_idx ON account (lower(email));
ALTER TABLE account ENABLE ROW LEVEL SECURITY;
-- Anyone may register; an account reads and changes only itself.
CREATE POLICY account_register ON account FOR INSERT WITH CHECK (true);
CREATE POLICY account_self ON account FOR SELECT USING (id = access_account());
CREATE POLICY account_self_update ON account FOR UPDATE USING (id = access_account());
GRANT SELECT, INSERT, UPDATE ON account TO ${app_role};

-- Login must find an account before anyone is known: this function returns only what
-- authentication needs, for one exact address.
CREATE FUNCTION account_for_login(p_email text)
    RETURNS TABLE (id uuid, password_hash text, kind text, disabled boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public
AS $$ SELECT a.id, a.password_hash, a.kind, a.disabled FROM account a WHERE lower(a.email) = lower(p_email) $$;
REVOKE ALL ON FUNCTION account_for_login(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION account_for_login(text) TO ${app_role};

CREATE TABLE staff_member
(
    organization_id uuid NOT NULL REFERENCES organization (id),
    account_id      uuid NOT NULL REFERENCES account (id),
    practitioner_id uuid,
    role            text NOT NULL CHECK (role IN ('PRACTITIONER', 'SECRETARY', 'ORG_ADMIN')),
    PRIMARY KEY (organization_id, account_id),
    FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner (organization_id, id)
);
CREATE INDEX staff_member_account_idx ON staff_member (account_id);
ALTER TABLE staff_member ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_member_of_org ON staff_member FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
CREATE POLICY staff_member_self_read ON staff_member FOR SELECT USING (account_id = access_account());
GRANT SELECT, INSERT, UPDATE, DELETE ON staff_member TO ${app_role};

CREATE TABLE patient
(
    id           uuid PRIMARY KEY,
    account_id   uuid        NOT NULL REFERENCES account (id),
    kind         text        NOT NULL CHECK (kind IN ('SELF', 'RELATIVE')),
    relationship text CHECK (relationship IN ('CHILD', 'PARENT', 'SPOUSE', 'OTHER')),
    first_name   text        NOT NULL CHECK (length(first_name) BETWEEN 1 AND 100),
    last_name    text        NOT NULL CHECK (length(last_name) BETWEEN 1 AND 100),
    birth_date   date        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind = 'SELF') = (relationship IS NULL))
);
CREATE UNIQUE INDEX patient_one_self_per_account_idx ON patient (account_id) WHERE kind = 'SELF';
CREATE INDEX patient_account_idx ON patient (account_id);
ALTER TABLE patient ENABLE ROW LEVEL SECURITY;
CREATE POLICY patient_of_account ON patient FOR ALL
    USING (account_id = access_account()) WITH CHECK (account_id = access_account());
GRANT SELECT, INSERT, UPDATE ON patient TO ${app_role};
