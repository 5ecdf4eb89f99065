-- identity: the admin API (issue 12 §1, §3).
--
-- Roles: a description, a version (the admin API's ETag / If-Match: every update is
-- `UPDATE … WHERE id = ? AND version = ?`, so of concurrent writers at one version exactly one wins)
-- and updated_at. Permissions stay in permissions_json (a JSON array of the vocabulary in
-- contracts/src/rbac.ts).
ALTER TABLE roles ADD COLUMN description TEXT;
ALTER TABLE roles ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE roles ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;

-- Clients: a version (as for roles; every write bumps it), the previous secret's hash and the end of
-- its grace period after a rotation (it still authenticates until then), and the RFC 7591 §2
-- logo/policy/terms URIs shown on hosted pages.
ALTER TABLE oauth_clients ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE oauth_clients ADD COLUMN previous_secret_hash TEXT;
ALTER TABLE oauth_clients ADD COLUMN previous_secret_expires_at INTEGER;
ALTER TABLE oauth_clients ADD COLUMN logo_uri TEXT;
ALTER TABLE oauth_clients ADD COLUMN policy_uri TEXT;
ALTER TABLE oauth_clients ADD COLUMN tos_uri TEXT;
-- RFC 9449 §5.2 `dpop_bound_access_tokens`: 1 = the token endpoint refuses this client's requests without a DPoP proof.
ALTER TABLE oauth_clients ADD COLUMN dpop_bound_access_tokens INTEGER NOT NULL DEFAULT 0;

-- The `roles` claim: scope `roles` releases the names of the user's roles (a JSON array),
-- read from user_roles/roles (user_claims.ts knows the source table 'user_roles').
INSERT OR IGNORE INTO scope_mappings (scope, claim_name, source_table, source_column) VALUES
  ('roles', 'roles', 'user_roles', 'name');
