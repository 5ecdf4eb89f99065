-- identity: change of a user's email address through a link mailed to the new address. Owner: identity.
-- See services/identity/storage-schema.md ("Email change").

-- One row per emailed verification link. Only the SHA-256 of the link's token is stored.
CREATE TABLE email_change_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- the address the user asked for (not yet theirs: users.email changes when the link is opened)
  new_email TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  -- random id of the confirmation that used the token (idempotent retry, as password_reset_tokens.consumed_by)
  consumed_by TEXT,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX email_change_tokens_user ON email_change_tokens (user_id);
CREATE INDEX email_change_tokens_expiry ON email_change_tokens (expires_at);
