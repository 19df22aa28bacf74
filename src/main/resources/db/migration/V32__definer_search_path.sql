-- Security-definer functions run with the owner's rights. With `search_path = public` alone,
-- PostgreSQL still looks in the session's temporary schema first for tables, so a caller who may
-- create temporary tables could shadow one of ours inside such a function. Put pg_temp last in
-- every one of them, and take the right to create temporary tables from everyone but the owner:
-- the application never needs one. DatabaseWallTests checks that every security-definer function,
-- those of later migrations too, keeps pg_temp last.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN
        SELECT p.oid::regprocedure
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.prosecdef
    LOOP
        EXECUTE format('ALTER FUNCTION %s SET search_path = public, pg_temp', f);
    END LOOP;
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM ${app_role}', current_database());
END
$$;
