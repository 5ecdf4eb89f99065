-- identity: links between upstream identity-provider accounts and local users
-- ("Sign in with …"). One upstream account (provider, subject) maps to exactly one
-- local user; a user may have several upstream accounts.
-- Lookups: by (provider_id, subject) (PK, every upstream sign-in), by user (account page, deletion).
CREATE TABLE user_identities (
  provider_id TEXT NOT NULL REFERENCES identity_providers (id) ON DELETE CASCADE,
  subject TEXT NOT NULL,                   -- the upstream `sub` (or mapped id for oauth2 providers)
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  email TEXT,                              -- upstream email at link time (informational, never a lookup key)
  created_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  PRIMARY KEY (provider_id, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);
