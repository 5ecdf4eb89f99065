-- identity: TOTP second factor (RFC 6238) and recovery codes. Owner: identity.
-- See services/identity/storage-schema.md ("TOTP and recovery codes").

-- One row per user with TOTP set up or being set up.
CREATE TABLE user_totp (
  user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  -- "v1.<iv b64url>.<AES-256-GCM ciphertext b64url>" of the 20-byte secret, AAD = user_id
  secret_ciphertext TEXT NOT NULL,
  -- NULL while the enrolment waits for its first valid code
  confirmed_at INTEGER,
  -- highest RFC 6238 time step accepted so far (-1: none): a code of this step or older is a replay
  last_used_step INTEGER NOT NULL DEFAULT -1,
  -- random id of the write that set last_used_step, so a retried write recognises its own success
  last_use_id TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Ten single-use recovery codes per user with TOTP, stored as SHA-256 only.
CREATE TABLE user_recovery_codes (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- hex SHA-256 of "<user_id>:<normalised code>"
  code_hash TEXT NOT NULL,
  used_at INTEGER,
  -- random id of the write that used the code (idempotent retry, as above)
  use_id TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, code_hash)
);
