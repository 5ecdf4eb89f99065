-- Issue 5 (cost): `sessions` and `oauth_client_consents` become WITHOUT ROWID tables.
-- A rowid table keyed by TEXT (or by two columns) keeps its primary key in a second
-- b-tree, so every insert wrote — and D1 billed — one row more than the data needs.
-- Same columns, same indexes, same rows; only the storage layout changes.

CREATE TABLE sessions_rowless (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  data TEXT NOT NULL                       -- JSON {authTime, amr, acr, deviceName, ipAddress, userAgent}
) WITHOUT ROWID;
INSERT INTO sessions_rowless (id, user_id, expires_at, created_at, data)
  SELECT id, user_id, expires_at, created_at, data FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_rowless RENAME TO sessions;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

CREATE TABLE oauth_client_consents_rowless (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  client_id TEXT NOT NULL REFERENCES oauth_clients (client_id) ON DELETE CASCADE,
  scope TEXT NOT NULL,                     -- space-separated, merged over grants
  granted_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, client_id)
) WITHOUT ROWID;
INSERT INTO oauth_client_consents_rowless (user_id, client_id, scope, granted_at)
  SELECT user_id, client_id, scope, granted_at FROM oauth_client_consents;
DROP TABLE oauth_client_consents;
ALTER TABLE oauth_client_consents_rowless RENAME TO oauth_client_consents;
