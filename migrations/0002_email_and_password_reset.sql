-- identity: email sending (development outbox) and single-use password reset. Owner: identity.
-- See services/identity/storage-schema.md ("Email" and "Password reset").

-- The development outbox: every email the identity service "sends" while
-- EMAIL_TRANSPORT is `outbox` (the local default). Read by tests, by the
-- `readOutbox` RPC and by the edge's /dev/outbox page. Never written in
-- production (the transport there is `send_email` or `http`).
CREATE TABLE email_outbox (
  id TEXT PRIMARY KEY,
  to_address TEXT NOT NULL,
  subject TEXT NOT NULL,
  text_body TEXT NOT NULL,
  html_body TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX email_outbox_to ON email_outbox (to_address COLLATE NOCASE, created_at);
CREATE INDEX email_outbox_created ON email_outbox (created_at);

-- Random id of the reset that used the token: the claim is
-- `UPDATE … WHERE used_at IS NULL OR consumed_by = <this attempt>`, so a retry
-- of a write whose response was lost recognises its own success instead of
-- reporting "already used" (the D1 retry policy needs idempotent writes).
ALTER TABLE password_reset_tokens ADD COLUMN consumed_by TEXT;
