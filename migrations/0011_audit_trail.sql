-- identity: the audit trail's full event (issue 11 §2). `action` holds the event type, `resource_*` its subject,
-- `metadata` the secret-free details JSON; `id` is the event's ULID (time-ordered; redelivery: INSERT OR IGNORE).
ALTER TABLE audit_log ADD COLUMN client_id TEXT;
ALTER TABLE audit_log ADD COLUMN actor_type TEXT NOT NULL DEFAULT 'system';
ALTER TABLE audit_log ADD COLUMN actor_id TEXT;
ALTER TABLE audit_log ADD COLUMN outcome TEXT NOT NULL DEFAULT 'success';
ALTER TABLE audit_log ADD COLUMN ip TEXT;
ALTER TABLE audit_log ADD COLUMN user_agent TEXT;
ALTER TABLE audit_log ADD COLUMN request_id TEXT;
CREATE INDEX audit_log_client_time ON audit_log (client_id, created_at);
-- Every index is one more D1 row written per event (the trail's main cost): the subject index of 0001 goes (subject
-- queries filter within a user's or a time range's rows); event-type queries use audit_log_created the same way.
DROP INDEX audit_log_resource;
