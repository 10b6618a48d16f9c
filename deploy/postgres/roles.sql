-- Two database roles for Hearth. Run once as a PostgreSQL superuser (psql -v ... -f roles.sql):
--
--   psql -v owner_password="'…'" -v app_password="'…'" -f deploy/postgres/roles.sql
--
-- hearth_owner owns the database and its tables and is used only to run `manage.py migrate`.
-- hearth_app is what the web and worker processes use: it reads and writes rows but owns
-- nothing, so it cannot alter tables, drop the audit trigger or TRUNCATE the audit log.
CREATE ROLE hearth_owner LOGIN PASSWORD :owner_password;
CREATE ROLE hearth_app LOGIN PASSWORD :app_password;
CREATE DATABASE hearth OWNER hearth_owner ENCODING 'UTF8' TEMPLATE template0;
\connect hearth
REVOKE ALL ON DATABASE hearth FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE hearth TO hearth_app;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO hearth_app;
-- Tables and sequences hearth_owner creates from now on (every migration) are usable by hearth_app.
ALTER DEFAULT PRIVILEGES FOR ROLE hearth_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO hearth_app;
ALTER DEFAULT PRIVILEGES FOR ROLE hearth_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO hearth_app;
