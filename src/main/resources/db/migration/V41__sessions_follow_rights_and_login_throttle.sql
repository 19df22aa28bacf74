-- Sessions follow rights, disabled members, and sign-in throttling that slows an attacker without
-- locking the owner out (issue #14).

-- A per-account security stamp: every change of what a session of the account may do (its kind, the
-- disabled flag, a membership, a role, a right on an agenda) moves it on, in the same transaction.
-- Each signed-in request compares it with the stamp its session was built from (one primary-key
-- read) and rebuilds the session's principal, or ends the session, when it moved.
ALTER TABLE account ADD COLUMN security_stamp bigint NOT NULL DEFAULT 0;

-- An organization's admin disables a member of that organization without touching the account,
-- which may work for other organizations too.
ALTER TABLE staff_member ADD COLUMN disabled boolean NOT NULL DEFAULT false;

CREATE FUNCTION account_stamp_on_account() RETURNS trigger
    LANGUAGE plpgsql SET search_path = public, pg_temp
AS $$
BEGIN
    IF NEW.disabled IS DISTINCT FROM OLD.disabled OR NEW.kind IS DISTINCT FROM OLD.kind THEN
        NEW.security_stamp := OLD.security_stamp + 1;
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER account_security_stamp BEFORE UPDATE ON account
    FOR EACH ROW EXECUTE FUNCTION account_stamp_on_account();

-- Runs as the owner: the admin changing a member's rights may not update that member's account row
-- (row-level security lets an account update only itself), yet its stamp must move.
CREATE FUNCTION account_stamp_on_rights() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE account SET security_stamp = security_stamp + 1 WHERE id = OLD.account_id;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.account_id IS DISTINCT FROM OLD.account_id) THEN
        UPDATE account SET security_stamp = security_stamp + 1 WHERE id = NEW.account_id;
    END IF;
    RETURN NULL;
END
$$;
REVOKE ALL ON FUNCTION account_stamp_on_rights() FROM PUBLIC;
CREATE TRIGGER staff_member_security_stamp AFTER INSERT OR UPDATE OR DELETE ON staff_member
    FOR EACH ROW EXECUTE FUNCTION account_stamp_on_rights();
CREATE TRIGGER agenda_right_security_stamp AFTER INSERT OR UPDATE OR DELETE ON agenda_right
    FOR EACH ROW EXECUTE FUNCTION account_stamp_on_rights();

-- What a signed-in request needs to know of its account, before anyone is known to the database:
-- the stamp, -1 for a disabled account, NULL for an account that no longer exists. Nothing else.
CREATE FUNCTION account_session_stamp(p_account uuid) RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
AS $$ SELECT CASE WHEN a.disabled THEN -1 ELSE a.security_stamp END FROM account a WHERE a.id = p_account $$;
REVOKE ALL ON FUNCTION account_session_stamp(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION account_session_stamp(uuid) TO ${app_role};

-- Sign-in throttling counts pairs now: an account from one address, an account from one known
-- device, an account from every unknown device together, and one address across accounts.
ALTER TABLE login_throttle DROP CONSTRAINT login_throttle_kind_check;
ALTER TABLE login_throttle DROP CONSTRAINT login_throttle_subject_check;
ALTER TABLE login_throttle ADD CONSTRAINT login_throttle_kind_check
    CHECK (kind IN ('ACCOUNT', 'ACCOUNT_ADDRESS', 'ACCOUNT_DEVICE', 'ACCOUNT_UNKNOWN_DEVICES', 'ADDRESS'));
ALTER TABLE login_throttle ADD CONSTRAINT login_throttle_subject_check CHECK (length(subject) BETWEEN 1 AND 200);

-- Counts one attempt on every subject at once, before the secret is checked: the rows are locked in
-- a fixed order, and when any subject is blocked nothing is counted and the end of the longest block
-- is returned; else each subject counts one more failure (forgotten after p_window of quiet), is
-- blocked from its limit on for p_first doubled by every further failure (at most p_max), and NULL
-- is returned. A right secret takes its attempt back afterwards. Parallel attempts queue on the
-- rows' locks: past the limit, they are refused whatever their secret.
CREATE FUNCTION login_attempt(p_kinds text[], p_subjects text[], p_limits int[], p_now timestamptz,
                              p_window interval, p_first interval, p_max interval)
    RETURNS timestamptz
    LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp
AS $$
DECLARE
    blocked timestamptz;
    row_failures int;
    row_last timestamptz;
    row_blocked timestamptz;
    n int;
BEGIN
    INSERT INTO login_throttle (kind, subject, failures, last_failure_at)
    SELECT k, s, 0, p_now FROM unnest(p_kinds, p_subjects) AS t(k, s) ORDER BY k, s
    ON CONFLICT (kind, subject) DO NOTHING;
    SELECT max(l.blocked_until) INTO blocked
      FROM (SELECT blocked_until FROM login_throttle
             WHERE (kind, subject) IN (SELECT * FROM unnest(p_kinds, p_subjects))
             ORDER BY kind, subject FOR UPDATE) l;
    IF blocked > p_now THEN
        RETURN blocked;
    END IF;
    FOR i IN 1 .. coalesce(array_length(p_kinds, 1), 0) LOOP
        SELECT failures, last_failure_at, blocked_until INTO row_failures, row_last, row_blocked
          FROM login_throttle WHERE kind = p_kinds[i] AND subject = p_subjects[i];
        n := CASE WHEN greatest(row_last, coalesce(row_blocked, row_last)) + p_window < p_now THEN 1
                  ELSE row_failures + 1 END;
        UPDATE login_throttle
           SET failures = n, last_failure_at = p_now,
               blocked_until = CASE WHEN n >= p_limits[i]
                                    THEN p_now + least(p_max, p_first * power(2, least(n - p_limits[i], 20)))
                                    ELSE row_blocked END
         WHERE kind = p_kinds[i] AND subject = p_subjects[i];
    END LOOP;
    RETURN NULL;
END
$$;
GRANT EXECUTE ON FUNCTION login_attempt(text[], text[], int[], timestamptz, interval, interval, interval)
    TO ${app_role};

-- Devices an account completed a sign-in from: a long-lived cookie holds a random token, and only
-- its SHA-256 is kept here. A known device is still admitted with the right secret while attempts
-- from unknown devices are throttled, and a sign-in from a device not listed is told to the owner.
-- Not tenant data: read before anyone is known, like login_throttle.
CREATE TABLE known_device
(
    account_id    uuid        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    token_hash    text        NOT NULL CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    first_seen_at timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    PRIMARY KEY (account_id, token_hash)
);
CREATE INDEX known_device_last_seen_idx ON known_device (last_seen_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON known_device TO ${app_role};
