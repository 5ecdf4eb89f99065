-- identity: dynamic client registration (RFC 7591 / RFC 7592, issue 12 §3).
--
-- client_registrations: one row per dynamically registered client — the SHA-256 of its registration access token
-- (RFC 7592; rotated by every update with a compare-and-set on the old hash), the RFC 7591 metadata Authrim keeps
-- but does not model in oauth_clients (client_uri, logo_uri, contacts, software_id, …) as JSON, which initial
-- access token registered it and that token's policy (an RFC 7592 update cannot leave it). Deleted with its client (ON DELETE CASCADE): a client removed by the admin API loses
-- its registration too.
CREATE TABLE client_registrations (
  client_id TEXT PRIMARY KEY REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
  registration_token_hash TEXT NOT NULL,   -- "sha256$<hex>"
  extra_metadata TEXT NOT NULL DEFAULT '{}',
  initial_access_token_id TEXT,            -- hex SHA-256 of the token used; NULL for open registration
  registration_policy TEXT NOT NULL DEFAULT '{}', -- the token's RegistrationPolicy JSON: updates stay within it
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- initial_access_token_marks: the atomic half of initial access tokens (the tokens themselves live in KV
-- INITIAL_ACCESS_TOKENS, hash → policy, which is neither atomic nor read-after-write). A row says the token is
-- spent: 'used' (a single-use token registered `client_id`; taken by INSERT … ON CONFLICT DO NOTHING, so exactly
-- one registration wins) or 'revoked' (by an admin, in force at once everywhere). Purged after `expires_at`
-- (the token's own expiry: afterwards KV has forgotten it anyway).
CREATE TABLE initial_access_token_marks (
  token_id TEXT PRIMARY KEY,               -- hex SHA-256 of the token
  state TEXT NOT NULL,                     -- 'used' | 'revoked'
  client_id TEXT,
  marked_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX initial_access_token_marks_expiry ON initial_access_token_marks (expires_at);
