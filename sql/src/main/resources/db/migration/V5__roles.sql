-- Least privilege (issue 10). The roles themselves (huddle_owner, huddle_migrator and one login role per
-- function) are created before Flyway runs, by dev.huddle.sql.DatabaseRoles as the RDS admin (creating a
-- role needs CREATEROLE, which no role of ours holds). Flyway runs as huddle_migrator with
-- SET ROLE huddle_owner (Migrations), so every object, this history table included, is owned by
-- huddle_owner; the grants that depend on the procedures live in afterMigrate__grants.sql, applied after
-- every migrate because the repeatable R__ files drop and re-create procedures.

-- Nobody reaches the schemas by default: each function role gets USAGE and its own grants explicitly.
REVOKE ALL ON SCHEMA huddle, huddle_api FROM PUBLIC;

-- PostgreSQL grants EXECUTE on every new function to PUBLIC; take it back for what exists and for every
-- function huddle_owner creates from now on (the R__ files re-create procedures on each change).
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA huddle, huddle_api FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE huddle_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- Retention reads each daily partition by name (COPY to S3, count): a partition's own privileges apply
-- there, not its parent's, and ensure_event_partitions creates partitions every day. Tables created in
-- schema huddle from now on are readable by retention; nothing else gets a default privilege.
ALTER DEFAULT PRIVILEGES FOR ROLE huddle_owner IN SCHEMA huddle GRANT SELECT ON TABLES TO huddle_retention;
