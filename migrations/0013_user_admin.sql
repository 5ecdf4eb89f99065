-- identity (issue 12 §1, user management): a disabled flag and an optimistic-concurrency version on users.
-- `disabled_at` NULL = enabled; set = refused at every sign-in method (services/identity/storage-schema.md).
-- `version` starts at 1 and moves on EVERY update of the row: the admin API's writes bump it themselves
-- (compare-and-set on it, ETag / If-Match → 412), and the trigger bumps it for any other writer (account page,
-- email change, password change, profile columns added later), so an admin's stale copy never overwrites them.
ALTER TABLE users ADD COLUMN disabled_at INTEGER;
ALTER TABLE users ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE TRIGGER users_version_bump AFTER UPDATE ON users
  WHEN NEW.version = OLD.version
  BEGIN UPDATE users SET version = OLD.version + 1 WHERE id = NEW.id; END;
