-- The audit log is append-only for the application: SELECT and INSERT, nothing else.
-- Run as hearth_owner (or a superuser) after every `manage.py migrate`; it is idempotent.
--
--   psql "$OWNER_DATABASE_URL" -v ON_ERROR_STOP=1 -f deploy/postgres/audit-grants.sql
--
-- The trigger from hearth/audit/migrations/0002_append_only.py already refuses UPDATE and
-- DELETE; these grants add TRUNCATE and make the intent visible in the privileges.
REVOKE ALL ON TABLE audit_auditentry FROM hearth_app;
GRANT SELECT, INSERT ON TABLE audit_auditentry TO hearth_app;
