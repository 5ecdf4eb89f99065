-- identity: client metadata `online_refresh_tokens` (issue 9 §2).
-- 0 (default): refresh tokens only when the user granted offline_access (OIDC Core §11).
-- 1: without offline_access the client still gets a refresh token, bound to the session (sid)
--    that authorised it: it expires with that session and is revoked when the session ends.
ALTER TABLE oauth_clients ADD COLUMN online_refresh_tokens INTEGER NOT NULL DEFAULT 0;
