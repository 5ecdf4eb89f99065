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
CREATE INDEX audit_log_action_time ON audit_log (action, created_at);
