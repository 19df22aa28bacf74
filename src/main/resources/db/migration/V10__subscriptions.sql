-- FHIR R4 Subscriptions (rest-hook) of connected apps on Appointment changes, and the queue of
-- notifications still to deliver. Both are tenant data: each row belongs to the organization of the
-- grant the subscription was made under, behind row-level security. No patient data here: the
-- queue names appointments by id, and a notification is built from the appointment when it is sent.

CREATE TABLE subscription
(
    id              uuid        PRIMARY KEY,
    organization_id uuid        NOT NULL REFERENCES organization (id),
    grant_id        uuid        NOT NULL,
    -- From the criteria: NULL for every agenda of the grant, else this agenda only.
    practitioner_id uuid,
    endpoint        text        NOT NULL CHECK (endpoint ~ '^https?://' AND length(endpoint) <= 2000),
    -- The FHIR base the app reached the platform at: notification entries are named under it (fullUrl).
    fhir_base       text        NOT NULL CHECK (fhir_base ~ '^https?://' AND length(fhir_base) <= 2000),
    -- NULL: an id-only notification (R4 channel.payload left out).
    payload         text CHECK (payload = 'application/fhir+json'),
    -- The key of the HMAC-SHA256 signature of every notification, given to the app once.
    secret          text        NOT NULL CHECK (length(secret) BETWEEN 32 AND 100),
    status          text        NOT NULL CHECK (status IN ('ACTIVE', 'ERROR')),
    -- Why delivery stopped (an HTTP status or a refusal), never data of a notification.
    error           text CHECK (length(error) <= 200),
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (organization_id, id),
    FOREIGN KEY (organization_id, grant_id) REFERENCES app_grant (organization_id, id),
    FOREIGN KEY (organization_id, practitioner_id) REFERENCES practitioner (organization_id, id)
);
CREATE INDEX subscription_grant_idx ON subscription (grant_id, created_at, id);
CREATE INDEX subscription_active_idx ON subscription (organization_id) WHERE status = 'ACTIVE';
ALTER TABLE subscription ENABLE ROW LEVEL SECURITY;
CREATE POLICY subscription_of_org ON subscription FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON subscription TO ${app_role};

-- One notification of one appointment change to one subscription, until it is delivered (then the
-- row goes) or given up (the subscription turns ERROR and its queue goes).
CREATE TABLE subscription_delivery
(
    id              uuid        PRIMARY KEY,
    organization_id uuid        NOT NULL,
    subscription_id uuid        NOT NULL,
    appointment_id  uuid        NOT NULL,
    attempts        int         NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL,
    created_at      timestamptz NOT NULL,
    FOREIGN KEY (organization_id, subscription_id) REFERENCES subscription (organization_id, id) ON DELETE CASCADE
);
CREATE INDEX subscription_delivery_due_idx ON subscription_delivery (next_attempt_at, id);
CREATE INDEX subscription_delivery_subscription_idx ON subscription_delivery (subscription_id);
ALTER TABLE subscription_delivery ENABLE ROW LEVEL SECURITY;
CREATE POLICY subscription_delivery_of_org ON subscription_delivery FOR ALL
    USING (organization_id = access_org()) WITH CHECK (organization_id = access_org());
GRANT SELECT, INSERT, UPDATE, DELETE ON subscription_delivery TO ${app_role};

-- The sender works across organizations: this function claims due deliveries for a while (the
-- lease), so no other node sends them meanwhile, and returns only their ids and organizations; each
-- is then sent as its organization.
CREATE FUNCTION claim_subscription_deliveries(p_now timestamptz, p_lease interval, p_limit int)
    RETURNS TABLE (delivery_id uuid, organization_id uuid)
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public
AS $$
    UPDATE subscription_delivery d
       SET next_attempt_at = p_now + p_lease
     WHERE d.id IN (SELECT q.id FROM subscription_delivery q
                     WHERE q.next_attempt_at <= p_now
                     ORDER BY q.next_attempt_at, q.id
                     LIMIT least(p_limit, 100)
                       FOR UPDATE SKIP LOCKED)
    RETURNING d.id, d.organization_id
$$;
REVOKE ALL ON FUNCTION claim_subscription_deliveries(timestamptz, interval, int) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION claim_subscription_deliveries(timestamptz, interval, int) TO ${app_role};
