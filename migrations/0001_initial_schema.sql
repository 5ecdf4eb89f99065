-- Authrim D1 schema (DESIGN §2): 13 tables, one index per lookup path the code makes.
-- Timestamps are epoch milliseconds. Secrets and tokens are stored only as hashes.

-- identity: user profiles. Lookups: by id (PK), by email (unique index).
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL,
  name TEXT,
  picture TEXT,
  -- "pbkdf2-sha256$<iterations>$<salt b64url>$<hash b64url>"; NULL for passwordless users
  password_hash TEXT,
  email_verified INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX users_email ON users (email COLLATE NOCASE);

-- identity: searchable custom attributes. Lookups: by user, by (field, value).
CREATE TABLE user_custom_fields (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  field_name TEXT NOT NULL,
  field_value TEXT,
  PRIMARY KEY (user_id, field_name)
);
CREATE INDEX user_custom_fields_search ON user_custom_fields (field_name, field_value);

-- identity: WebAuthn credentials. Lookups: by credential id (PK), by user.
CREATE TABLE passkeys (
  credential_id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  public_key TEXT NOT NULL,
  counter INTEGER NOT NULL DEFAULT 0,
  transports TEXT,
  name TEXT,
  created_at INTEGER NOT NULL,
  last_used_at INTEGER
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- identity: password reset. Lookups: by token hash (PK), by user (invalidate), by expiry (purge).
CREATE TABLE password_reset_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  used_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX password_reset_tokens_user ON password_reset_tokens (user_id);
CREATE INDEX password_reset_tokens_expiry ON password_reset_tokens (expires_at);

-- identity: OAuth clients. Lookup: by client_id (PK); list by created_at (admin).
CREATE TABLE oauth_clients (
  client_id TEXT PRIMARY KEY,
  client_name TEXT NOT NULL,
  -- "sha256$<hex>" of the client secret; NULL for public clients
  client_secret_hash TEXT,
  redirect_uris TEXT NOT NULL,             -- JSON array, matched exactly
  post_logout_redirect_uris TEXT NOT NULL DEFAULT '[]',
  grant_types TEXT NOT NULL,               -- JSON array
  response_types TEXT NOT NULL,            -- JSON array
  token_endpoint_auth_method TEXT NOT NULL,
  scope TEXT NOT NULL,
  id_token_signed_response_alg TEXT NOT NULL DEFAULT 'RS256',
  jwks TEXT,                               -- JSON (private_key_jwt, later)
  jwks_uri TEXT,
  skip_consent INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX oauth_clients_created ON oauth_clients (created_at);

-- identity: consent history. Lookup: by (user, client) (PK); list by user (account page).
CREATE TABLE oauth_client_consents (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
  scope TEXT NOT NULL,                     -- space-separated, merged over grants
  granted_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, client_id)
);

-- session: cold copy of SessionStore sessions. Lookups: by id (PK), by user, by expiry (purge).
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  data TEXT NOT NULL                       -- JSON {authTime, amr, acr, deviceName, ipAddress, userAgent}
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- identity: RBAC. Lookups: role by name; roles of a user; users of a role.
CREATE TABLE roles (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  permissions_json TEXT NOT NULL DEFAULT '[]',
  created_at INTEGER NOT NULL
);
CREATE TABLE user_roles (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role_id TEXT NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, role_id)
);
CREATE INDEX user_roles_role ON user_roles (role_id);

-- identity: scope → claim mapping. Lookup: by scope.
CREATE TABLE scope_mappings (
  scope TEXT NOT NULL,
  claim_name TEXT NOT NULL,
  source_table TEXT NOT NULL,              -- 'users' or 'user_custom_fields'
  source_column TEXT NOT NULL,             -- column (users) or field_name (custom fields)
  PRIMARY KEY (scope, claim_name)
);
INSERT INTO scope_mappings (scope, claim_name, source_table, source_column) VALUES
  ('openid', 'sub', 'users', 'id'),
  ('profile', 'name', 'users', 'name'),
  ('profile', 'picture', 'users', 'picture'),
  ('profile', 'updated_at', 'users', 'updated_at'),
  ('profile', 'given_name', 'user_custom_fields', 'given_name'),
  ('profile', 'family_name', 'user_custom_fields', 'family_name'),
  ('profile', 'locale', 'user_custom_fields', 'locale'),
  ('email', 'email', 'users', 'email'),
  ('email', 'email_verified', 'users', 'email_verified'),
  ('phone', 'phone_number', 'user_custom_fields', 'phone_number'),
  ('phone', 'phone_number_verified', 'user_custom_fields', 'phone_number_verified'),
  ('address', 'address', 'user_custom_fields', 'address');

-- identity: UI customisation (single row, id = 'default').
CREATE TABLE branding_settings (
  id TEXT PRIMARY KEY,
  custom_css TEXT,
  logo_url TEXT,
  primary_color TEXT,
  updated_at INTEGER NOT NULL
);

-- identity: upstream identity providers. Lookup: by id; list enabled.
CREATE TABLE identity_providers (
  id TEXT PRIMARY KEY,
  provider_type TEXT NOT NULL,             -- 'oidc' | 'oauth2'
  name TEXT NOT NULL,
  config_json TEXT NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX identity_providers_enabled ON identity_providers (enabled);

-- identity: audit trail. Lookups: by user over time, by resource, by age (archive cron).
CREATE TABLE audit_log (
  id TEXT PRIMARY KEY,                     -- entry id: redelivery is idempotent (INSERT OR IGNORE)
  user_id TEXT,
  action TEXT NOT NULL,
  resource_type TEXT,
  resource_id TEXT,
  created_at INTEGER NOT NULL,
  metadata TEXT
);
CREATE INDEX audit_log_user_time ON audit_log (user_id, created_at);
CREATE INDEX audit_log_resource ON audit_log (resource_type, resource_id);
CREATE INDEX audit_log_created ON audit_log (created_at);
