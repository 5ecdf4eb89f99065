-- identity: the audit trail's full event (issue 11 §2). `action` holds the event type, `resource_*` its subject,
-- `metadata` the secret-free details JSON; `id` is the event's ULID (time-ordered; redelivery: INSERT OR IGNORE).
--
-- Rebuilt WITHOUT ROWID, clustered on the ULID: every index is one more D1 row written per event (the trail's main
-- cost at scale), and a rowid table with a TEXT key keeps a hidden key index too. Time ranges and the archive read
-- id ranges (a ULID starts with its time), so created_at needs no index; an event writes 3 rows: itself, and its
-- (user_id, id) and (client_id, id) entries. The table has been written by nothing before this migration.
DROP TABLE audit_log;
CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  action TEXT NOT NULL,
  user_id TEXT,
  client_id TEXT,
  actor_type TEXT NOT NULL,
  actor_id TEXT,
  resource_type TEXT,
  resource_id TEXT,
  outcome TEXT NOT NULL,
  ip TEXT,
  user_agent TEXT,
  request_id TEXT,
  metadata TEXT
) WITHOUT ROWID;
CREATE INDEX audit_log_user ON audit_log (user_id, id);
CREATE INDEX audit_log_client ON audit_log (client_id, id);
