-- Expired holds are released in one order (by id) and without waiting: a row another transaction
-- has locked (the sweep, a booking of the same agenda, a confirmation) is left to it. Before, the
-- sweep over every agenda and a booking releasing its agenda's holds could lock the same rows in
-- different orders (each by its own index) and deadlock; a booking that skips a hold the sweep is
-- expiring waits for the sweep in the exclusion check, and the sweep waits for nobody.
CREATE OR REPLACE FUNCTION release_expired_holds(p_practitioner uuid, p_now timestamptz)
    RETURNS int
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public
AS $$
DECLARE
    released int;
BEGIN
    UPDATE appointment
       SET status = 'EXPIRED', hold_expires_at = NULL, updated_at = p_now, version = version + 1
     WHERE id IN (SELECT id
                    FROM appointment
                   WHERE status = 'HELD' AND hold_expires_at <= p_now
                     AND (p_practitioner IS NULL OR practitioner_id = p_practitioner)
                   ORDER BY id
                     FOR UPDATE SKIP LOCKED);
    GET DIAGNOSTICS released = ROW_COUNT;
    RETURN released;
END
$$;
REVOKE ALL ON FUNCTION release_expired_holds(uuid, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION release_expired_holds(uuid, timestamptz) TO ${app_role};
